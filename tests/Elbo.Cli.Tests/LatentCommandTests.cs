using System.Buffers.Binary;
using Elbo.Tests.Data;

namespace Elbo.Cli.Tests;

/// <summary>End-to-end runs of interpolate, traverse and encode on a small trained run.</summary>
public class LatentCommandTests : CliTestBase
{
    [Fact]
    public void InterpolateWritesOneRowPerPairWithInputsAtBothEnds()
    {
        string run = TrainedRun();
        var (code, output, err) = Run("interpolate", run, "--from", "0,5", "--to", "1,7", "--steps", "4", "--slerp");
        Assert.True(code == 0, err);
        Assert.Contains("row 2: test 5", output);
        // 6 tiles of 8 px with 2 px padding, two gaps of 4 px, scale 2; 2 rows.
        Assert.Equal(((6 * 10 + 2 + 8) * 2, (2 * 10 + 2) * 2), PngSize(Path.Combine(run, "interpolation.png")));
    }

    [Fact]
    public void TraverseRanksDimensionsAndWritesOneRowEach()
    {
        string run = TrainedRun();
        var (code, output, err) = Run("traverse", run, "--steps", "5", "--index", "3");
        Assert.True(code == 0, err);
        Assert.Matches(@"row 1: z\d \(KL \d+\.\d\d nats\)", output);
        Assert.Contains("row 3: z", output);
        Assert.Equal(((5 * 10 + 2) * 2, (3 * 10 + 2) * 2), PngSize(Path.Combine(run, "traversal.png")));

        string two = Path.Combine(_dir, "two.png");
        (code, output, _) = Run("traverse", run, "--dims", "2,0", "--out", two);
        Assert.Equal(0, code);
        Assert.Contains("row 1: z2", output);
        Assert.Contains("row 2: z0", output);
        Assert.Equal(((11 * 10 + 2) * 2, (2 * 10 + 2) * 2), PngSize(two));
    }

    [Fact]
    public void EncodeWritesACsvRowPerExampleAndAnAutoencoderHasNoLogVar()
    {
        string run = TrainedRun();
        string csv = Path.Combine(_dir, "z.csv");
        var (code, _, err) = Run("encode", run, "--out", csv, "--split", "train", "--n", "25");
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("index,label,mu_0,mu_1,mu_2,logvar_0,logvar_1,logvar_2", lines[0]);
        Assert.Equal(26, lines.Length);

        string ae = TrainedRun("ae", "--model", "ae");
        Assert.Equal(0, Run("encode", ae, "--out", csv).Code);
        lines = File.ReadAllLines(csv);
        Assert.Equal("index,label,mu_0,mu_1,mu_2", lines[0]);
        Assert.Equal(13, lines.Length);
        var (tcode, toutput, terr) = Run("traverse", ae);
        Assert.True(tcode == 0, terr);
        Assert.Contains("variance of the code", toutput);
        Assert.Equal(0, Run("interpolate", ae, "--from", "0", "--to", "1").Code);
    }

    [Theory]
    [InlineData("interpolate", "--from", "12", "--to", "1")]
    [InlineData("interpolate", "--from", "-1", "--to", "1")]
    [InlineData("interpolate", "--from", "0", "--to", "1", "--steps", "1")]
    [InlineData("interpolate", "--from", "0,1", "--to", "1")]
    [InlineData("traverse", "--range", "0")]
    [InlineData("traverse", "--steps", "1")]
    [InlineData("traverse", "--dims", "3")]
    [InlineData("traverse", "--index", "12")]
    [InlineData("encode", "--split", "validation")]
    [InlineData("encode", "--n", "0")]
    public void BadInputsAreUsageErrorsAndLeaveTheOutputIntact(string command, params string[] options)
    {
        string run = TrainedRun();
        string existing = Path.Combine(_dir, "existing");
        File.WriteAllText(existing, "keep");
        var (code, _, err) = Run([command, run, "--out", existing, .. options]);
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.DoesNotContain("(Parameter", err);
        Assert.Equal("keep", File.ReadAllText(existing));
    }

    [Fact]
    public void AFolderWithoutCheckpointOrDataOfAnotherShapeAreUsageErrors()
    {
        string empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var (code, _, err) = Run("encode", empty, "--out", Path.Combine(_dir, "z.csv"));
        Assert.Equal(2, code);
        Assert.Contains("no checkpoint", err);

        string run = TrainedRun();
        string other = Path.Combine(_dir, "other");
        IdxFixtures.WriteDataset(other, train: 10, test: 4, rows: 4, cols: 4);
        string picture = Path.Combine(run, "interpolation.png");   // train's report made one
        var before = File.ReadAllBytes(picture);
        (code, _, err) = Run("interpolate", run, "--from", "0", "--to", "1", "--data", other);
        Assert.Equal(2, code);
        Assert.Contains("do not match", err);
        Assert.Equal(before, File.ReadAllBytes(picture));
    }

    [Fact]
    public void NonImageDataHaveNoPictures()
    {
        string flat = Path.Combine(_dir, "flat");
        IdxFixtures.WriteDataset(flat, train: 20, test: 6, rows: 1, cols: 6);
        string run = TrainedRun("flat-run", "--data", flat);
        var (code, _, err) = Run("traverse", run);
        Assert.Equal(2, code);
        Assert.Contains("not images", err);
        (code, _, err) = Run("interpolate", run, "--from", "0", "--to", "1");
        Assert.Equal(2, code);
        Assert.Contains("not images", err);
        Assert.Equal(0, Run("encode", run, "--out", Path.Combine(_dir, "flat.csv")).Code);
    }
}
