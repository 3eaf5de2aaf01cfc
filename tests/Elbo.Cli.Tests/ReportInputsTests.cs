namespace Elbo.Cli.Tests;

/// <summary>The pieces the report shows are made by train (all of them, fresh) and by report (the missing ones).</summary>
public class ReportInputsTests : CliTestBase
{
    private static readonly string[] ImagePieces =
        ["latent.svg", "manifold.png", "curves.svg", "interpolation.png", "traversal.png", "eval.json", "report.html"];

    [Fact]
    public void TrainMakesEveryPieceAndAWholeReport()
    {
        string run = TrainedRun();
        foreach (string file in ImagePieces) Assert.True(File.Exists(Path.Combine(run, file)), file);
        string html = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.DoesNotContain("id=\"absent\"", html);
        Assert.Contains("id=\"evaluation\"", html);
        Assert.Contains("\"k\": 100", File.ReadAllText(Path.Combine(run, "eval.json")));
    }

    [Fact]
    public void NoReportSkipsThemAll()
    {
        string run = TrainedRun("quiet", "--no-report");
        foreach (string file in ImagePieces) Assert.False(File.Exists(Path.Combine(run, file)), file);
    }

    [Fact]
    public void ReportMakesOnlyTheMissingPiecesUnlessRefreshed()
    {
        string run = TrainedRun("run", "--no-report");
        string eval = Path.Combine(run, "eval.json");
        File.WriteAllText(eval, """{ "negElbo": 123.45 }""");
        var (code, output, err) = Run("report", run, "--k", "5", "--n", "6");
        Assert.True(code == 0, err);
        Assert.Equal("""{ "negElbo": 123.45 }""", File.ReadAllText(eval));                 // kept
        foreach (string file in ImagePieces) Assert.True(File.Exists(Path.Combine(run, file)), file);
        Assert.Contains("123.45", File.ReadAllText(Path.Combine(run, "report.html")));
        Assert.Contains("traversal.png", output);

        (code, _, err) = Run("report", run, "--refresh", "--k", "5", "--n", "6");
        Assert.True(code == 0, err);
        Assert.Contains("\"k\": 5", File.ReadAllText(eval));                                // remade
    }

    [Fact]
    public void NoComputeOnlyAssembles()
    {
        string run = TrainedRun("run", "--no-report");
        var (code, _, err) = Run("report", run, "--no-compute");
        Assert.True(code == 0, err);
        Assert.False(File.Exists(Path.Combine(run, "eval.json")));
        Assert.Contains("id=\"absent\"", File.ReadAllText(Path.Combine(run, "report.html")));
    }

    [Theory]
    [InlineData("--k", "0")]
    [InlineData("--n", "-3")]
    public void BadEvaluationSizesAreUsageErrors(string option, string value)
    {
        string run = TrainedRun("run", "--no-report");
        var (code, _, err) = Run("report", run, option, value);
        Assert.Equal(2, code);
        Assert.Contains(option, err);
        Assert.False(File.Exists(Path.Combine(run, "report.html")));
    }

    [Fact]
    public void RingRunsGetTheRingAndNoImages()
    {
        string run = TrainedRun("ring", "--data", "ring", "--likelihood", "gaussian", "--sigma", "0.1", "--latent", "2", "--epochs", "1", "--batch-size", "500");
        Assert.True(File.Exists(Path.Combine(run, "ring.svg")));
        Assert.True(File.Exists(Path.Combine(run, "report.html")));
        Assert.Empty(Directory.GetFiles(run, "*.png"));
        Assert.Contains("id=\"ring\"", File.ReadAllText(Path.Combine(run, "report.html")));
    }
}
