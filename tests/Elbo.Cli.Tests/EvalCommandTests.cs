using System.Text.Json;

namespace Elbo.Cli.Tests;

public class EvalCommandTests : CliTestBase
{
    private static readonly string[] SchemaNames =
    [
        "examples", "k", "negElbo", "reconstruction", "kl", "importanceSampled", "priorProposal", "klPerDimension",
        "varianceOfMu", "activeUnits", "activeThreshold", "amortization", "seconds",
    ];

    [Fact]
    public void EvalWritesEvalJsonWithTheSchemaAndPrintsTheTable()
    {
        string run = TrainedRun();
        var (code, output, err) = Run("eval", run, "--k", "20", "--refine-steps", "3");
        Assert.True(code == 0, err);
        // the GEMM backend timed on this model's own encode and decode (or forced), as training chooses its own
        Assert.Matches(@"(?m)^elbo eval: GEMM (managed|openblas) (\d+ GFLOPS on this model's encode and decode \(.*, (measured|cached)\)|\(ELBO_GEMM\)).*, threads \d+\r?$", output);
        Assert.Contains("−ELBO", output);
        Assert.Contains("active units", output);
        Assert.Contains("amortization gap", output);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "eval.json")));
        var root = doc.RootElement;
        foreach (var name in SchemaNames) Assert.True(root.TryGetProperty(name, out _), name);
        Assert.Equal(12, root.GetProperty("examples").GetInt32());
        Assert.Equal(20, root.GetProperty("k").GetInt32());
        Assert.Equal(3, root.GetProperty("klPerDimension").GetArrayLength());
        foreach (var name in new[] { "negLogPx", "standardError", "elboGap" })
            Assert.True(double.IsFinite(root.GetProperty("importanceSampled").GetProperty(name).GetDouble()), name);
        foreach (var name in new[] { "negLogPx", "standardError", "meanEss", "essFraction" })
            Assert.True(double.IsFinite(root.GetProperty("priorProposal").GetProperty(name).GetDouble()), name);
        Assert.Equal(3, root.GetProperty("amortization").GetProperty("steps").GetInt32());
        Assert.True(root.GetProperty("amortization").GetProperty("gap").GetDouble() >= 0);
    }

    [Fact]
    public void JsonOptionPrintsValidJsonAndStillWritesTheFile()
    {
        string run = TrainedRun();
        var (code, output, err) = Run("eval", run, "--k", "5", "--n", "4", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(4, doc.RootElement.GetProperty("examples").GetInt32());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("amortization").ValueKind);
        Assert.Equal(output.Trim(), File.ReadAllText(Path.Combine(run, "eval.json")).Trim());
    }

    [Theory]
    [InlineData("--k", "0", "--k")]
    [InlineData("--k", "-3", "--k")]
    [InlineData("--n", "0", "--n")]
    [InlineData("--refine-steps", "-1", "--refine-steps")]
    public void BadOptionsExitTwoAndLeaveEvalJsonUntouched(string option, string value, string named)
    {
        string run = TrainedRun();
        string path = Path.Combine(run, "eval.json");
        File.WriteAllText(path, "earlier");
        var (code, _, err) = Run("eval", run, option, value);
        Assert.Equal(2, code);
        Assert.Contains(named, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal("earlier", File.ReadAllText(path));
    }

    [Fact]
    public void RunWithoutCheckpointAndMismatchedDataExitTwo()
    {
        var (code, _, err) = Run("eval", Path.Combine(_dir, "nothing"));
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));

        string run = TrainedRun();
        string other = Path.Combine(_dir, "other-data");
        Elbo.Tests.Data.IdxFixtures.WriteDataset(other, train: 10, test: 5, rows: 6, cols: 6);
        File.WriteAllText(Path.Combine(run, "eval.json"), "earlier");
        (code, _, err) = Run("eval", run, "--data", other, "--k", "5");
        Assert.Equal(2, code);
        Assert.Contains("do not match", err);
        Assert.Equal("earlier", File.ReadAllText(Path.Combine(run, "eval.json")));
    }

    [Theory]
    [InlineData("conv", "bernoulli")]
    [InlineData("mlp", "gaussian-learned")]
    public void OtherModelsAndLikelihoodsEvaluate(string model, string likelihood)
    {
        string run = TrainedRun(model, "--model", model, "--likelihood", likelihood, "--channels", "4,8");
        var (code, _, err) = Run("eval", run, "--k", "8", "--refine-steps", "2", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "eval.json")));
        var q = doc.RootElement.GetProperty("importanceSampled");
        Assert.True(double.IsFinite(q.GetProperty("negLogPx").GetDouble()));
        Assert.True(doc.RootElement.GetProperty("amortization").GetProperty("gap").GetDouble() >= 0);
    }

    [Fact]
    public void AutoencoderRunReportsReconstructionAndThePriorEstimate()
    {
        string run = TrainedRun("ae", "--model", "ae");
        var (code, output, err) = Run("eval", run, "--k", "10", "--refine-steps", "2");
        Assert.True(code == 0, err);
        Assert.Contains("autoencoder has no q(z|x)", output);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "eval.json")));
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("importanceSampled").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("amortization").ValueKind);
        Assert.True(double.IsFinite(root.GetProperty("priorProposal").GetProperty("negLogPx").GetDouble()));
        Assert.All(root.GetProperty("klPerDimension").EnumerateArray(), v => Assert.Equal(0, v.GetDouble()));
    }
}
