using System.Xml.Linq;
using Elbo.Plotting;

namespace Elbo.Cli.Tests;

/// <summary>End-to-end runs of `elbo plot`.</summary>
public class PlotCommandTests : CliTestBase
{
    private static readonly XNamespace Svg = SvgWriter.Namespace;

    private static int Points(string svgPath) =>
        XDocument.Load(svgPath).Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "points").Sum(g => g.Elements(Svg + "circle").Count());

    private static List<string> Legend(string svgPath) =>
        XDocument.Load(svgPath).Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "entry").Select(e => e.Element(Svg + "text")!.Value).ToList();

    [Fact]
    public void PlotWritesTheLatentScatterTheManifoldAndTheCurves()
    {
        string run = TrainedRun();
        var (code, output, err) = Run("plot", run);
        Assert.True(code == 0, err);
        string latent = Path.Combine(run, "latent.svg"), manifold = Path.Combine(run, "manifold.png"), curves = Path.Combine(run, "curves.svg");
        Assert.Contains(latent, output);
        Assert.Contains(manifold, output);
        Assert.Contains(curves, output);
        Assert.Contains("principal components", output);
        Assert.Contains("the two most informative of 3 dimensions", output);
        // The test split has 12 labelled images, labels 0..9 named as numbers (a folder of data has no class names).
        Assert.Equal(12, Points(latent));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), Legend(latent));
        Assert.Equal(["train", "test"], Legend(curves));
        Assert.Equal(2 * 3, XDocument.Load(curves).Descendants(Svg + "polyline").Count());
        var png = File.ReadAllBytes(manifold);
        Assert.Equal(0x89, png[0]);
        // 20 × 20 tiles of 8 × 8 pixels, enlarged twice: the width sits big-endian at byte 16 of the IHDR chunk.
        Assert.Equal(20 * 8 * 2, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]);
        Assert.False(File.Exists(Path.Combine(run, "ring.svg")));
    }

    [Fact]
    public void OptionsSetTheNumberOfPointsAndTheGrid()
    {
        string run = TrainedRun("two", "--latent", "2");
        var (code, output, err) = Run("plot", run, "--n", "5", "--grid", "4");
        Assert.True(code == 0, err);
        Assert.Contains("the whole 2-D latent space", output);
        Assert.Equal(5, Points(Path.Combine(run, "latent.svg")));
        var png = File.ReadAllBytes(Path.Combine(run, "manifold.png"));
        Assert.Equal(4 * 8 * 2, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]);
    }

    [Fact]
    public void AutoencoderRunsArePlottedFromTheirCodes()
    {
        string run = TrainedRun("ae", "--model", "ae");
        var (code, output, err) = Run("plot", run);
        Assert.True(code == 0, err);
        Assert.Contains("codes", output);
        Assert.Contains("the codes' mean", output);
        Assert.Contains("Autoencoder codes", File.ReadAllText(Path.Combine(run, "latent.svg")));
        Assert.True(File.Exists(Path.Combine(run, "manifold.png")));
    }

    [Fact]
    public void RingRunsGetTheRingPictureAndNoImages()
    {
        string run = Path.Combine(_dir, "ring");
        var (code, trainOutput, err) = Run("train", "--data", "ring", "--likelihood", "gaussian", "--sigma", "0.05", "--latent", "2", "--hidden", "8",
            "--epochs", "1", "--batch-size", "500", "--out", run);
        Assert.True(code == 0, err);
        Assert.DoesNotContain("pictures:", trainOutput);
        Assert.Empty(Directory.GetFiles(run, "*.png"));

        (code, var output, err) = Run("plot", run, "--n", "300");
        Assert.True(code == 0, err);
        string ring = Path.Combine(run, "ring.svg");
        Assert.Contains(ring, output);
        Assert.Contains("mean radius", output);
        Assert.Equal(600, Points(ring));
        Assert.Equal(300, Points(Path.Combine(run, "latent.svg")));
        Assert.Contains("0°–45°", Legend(Path.Combine(run, "latent.svg")));
        Assert.True(File.Exists(Path.Combine(run, "curves.svg")));
        Assert.False(File.Exists(Path.Combine(run, "manifold.png")));
    }

    [Theory]
    [InlineData("--n", "0", "--n must be positive")]
    [InlineData("--grid", "1", "--grid must be between 2 and 100")]
    [InlineData("--grid", "101", "--grid must be between 2 and 100")]
    [InlineData("--data", "ring", "do not match the run's model")]
    public void BadOptionsAreUsageErrorsAndLeaveEarlierPicturesAlone(string option, string value, string expected)
    {
        string run = TrainedRun();
        Assert.Equal(0, Run("plot", run).Code);
        var before = Snapshot(run);
        var (code, output, err) = Run("plot", run, option, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Empty(output);
        Assert.Equal(before, Snapshot(run));
    }

    [Fact]
    public void MissingRunsAreUsageErrors()
    {
        var (code, _, err) = Run("plot", Path.Combine(_dir, "nowhere"));
        Assert.Equal(2, code);
        Assert.Contains("no such run folder", err);
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        (code, _, err) = Run("plot", Path.Combine(_dir, "empty"));
        Assert.Equal(2, code);
        Assert.Contains("no checkpoint", err);
    }

    [Fact]
    public void ABrokenMetricsLogFailsWithoutWritingAnything()
    {
        string run = TrainedRun();
        Assert.Equal(0, Run("plot", run).Code);
        File.AppendAllText(Path.Combine(run, "metrics.jsonl"), "{not json\n");
        var before = Snapshot(run);
        var (code, _, err) = Run("plot", run);
        Assert.Equal(1, code);
        Assert.Contains("metrics.jsonl", err);
        Assert.Equal(before, Snapshot(run));
    }

    [Fact]
    public void WithoutMetricsTheCurvesAreSkipped()
    {
        string run = TrainedRun();
        File.Delete(Path.Combine(run, "metrics.jsonl"));
        File.Delete(Path.Combine(run, "curves.svg"));   // written by train's report
        var (code, output, err) = Run("plot", run);
        Assert.True(code == 0, err);
        Assert.Contains("curves.svg not written", output);
        Assert.False(File.Exists(Path.Combine(run, "curves.svg")));
        Assert.True(File.Exists(Path.Combine(run, "latent.svg")));
    }

    private static Dictionary<string, string> Snapshot(string dir) =>
        Directory.GetFiles(dir).ToDictionary(Path.GetFileName, f => Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))!;
}
