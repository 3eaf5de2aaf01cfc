using System.Buffers.Binary;
using System.Text.Json;

namespace Elbo.Cli.Tests;

/// <summary>End-to-end runs of a conditional VAE (--model cvae) through every command.</summary>
public class ConditionalCommandTests : CliTestBase
{
    private string Cvae() => TrainedRun("cvae", "--model", "cvae");

    [Fact]
    public void TrainingCountsTheClassesAndDrawsOneRowOfSamplesPerClass()
    {
        string run = Path.Combine(_dir, "cvae");
        var (code, output, err) = Run(Train(run, "--model", "cvae"));
        Assert.True(code == 0, err);
        Assert.Contains("conditional VAE (cvae)", output);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.Equal("cvae", config.RootElement.GetProperty("model").GetString());
        Assert.Equal(10, config.RootElement.GetProperty("classes").GetInt32());     // the fixture's labels are i mod 10
        // 10 rows (one per class) of 8 tiles of 8 px, 2 px padding, scale 2
        Assert.Equal(((8 * 10 + 2) * 2, (10 * 10 + 2) * 2), PngSize(Path.Combine(run, "samples_2.png")));
        string report = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.Contains("one row per class (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)", report);
        Assert.Contains("Conditioned on", report);
        Assert.True(File.Exists(Path.Combine(run, "eval.json")));
    }

    [Fact]
    public void SampleDrawsTheChosenClassOrEveryClass()
    {
        string run = Cvae(), one = Path.Combine(_dir, "one.png"), all = Path.Combine(_dir, "all.png");
        var (code, output, err) = Run("sample", run, "--label", "3", "--n", "5", "--out", one);
        Assert.True(code == 0, err);
        Assert.Contains("wrote 5 samples of class 3 to", output);
        Assert.Equal(((5 * 10 + 2) * 2, (1 * 10 + 2) * 2), PngSize(one));
        (code, output, err) = Run("sample", run, "--n", "20", "--out", all);
        Assert.True(code == 0, err);
        Assert.Contains("wrote 20 samples (2 per class, one row each)", output);
        Assert.Equal(((2 * 10 + 2) * 2, (10 * 10 + 2) * 2), PngSize(all));
    }

    [Theory]
    [InlineData("10", "--label 10 is not a class of the model (0..9)")]
    [InlineData("Sneaker", "--label Sneaker is not a class number (0..9)")]
    public void ABadLabelIsOneLineAndWritesNothing(string label, string expected)
    {
        string run = Cvae(), file = Path.Combine(_dir, "x.png");
        var (code, _, err) = Run("sample", run, "--label", label, "--out", file);
        Assert.Equal(2, code);
        Assert.Equal($"elbo: {expected}", err.Trim());
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void AnUnconditionalRunTakesNoLabel()
    {
        string run = TrainedRun(), file = Path.Combine(_dir, "x.png");
        var (code, _, err) = Run("sample", run, "--label", "1", "--out", file);
        Assert.Equal(2, code);
        Assert.Contains("--label needs a conditional model (--model cvae), and this run's is mlp", err);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void EveryOtherCommandWorksOnAConditionalRun()
    {
        string run = Cvae();
        foreach (string[] args in new[]
        {
            new[] { "eval", run, "--k", "20", "--refine-steps", "2" },
            ["reconstruct", run, "--n", "4", "--out", Path.Combine(_dir, "r.png")],
            ["interpolate", run, "--from", "0", "--to", "1", "--steps", "4"],
            ["traverse", run, "--dims", "2"],
            ["encode", run, "--out", Path.Combine(_dir, "codes.csv")],
            ["plot", run],
            ["compare", run, TrainedRun("ae", "--model", "ae"), "--out", Path.Combine(_dir, "cmp")],
            ["report", run],
        })
        {
            var (code, _, err) = Run(args);
            Assert.True(code == 0, $"{string.Join(' ', args)}: {err}");
        }
    }

    [Fact]
    public void ResumingAConditionalRunKeepsItsClasses()
    {
        string run = Cvae();
        var (code, output, err) = Run("train", "--out", run, "--resume", "--epochs", "3", "--data", Data());
        Assert.True(code == 0, err);
        Assert.Contains("epochs 3..3", output);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.Equal(10, config.RootElement.GetProperty("classes").GetInt32());
    }
}
