using Elbo.Data;
using Elbo.Engine.Onnx;
using Elbo.Engine.Tensors;
using Elbo.Engine.Tests.Support;
using Elbo.Tests.Export;
using Elbo.Tests.Tables;
using Xunit.Abstractions;

namespace Elbo.Cli.Tests;

/// <summary>End-to-end runs of `elbo export`: the files it writes agree with the trained model in ONNX Runtime, and
/// bad input is one line, an exit code, and nothing written.</summary>
public class ExportCommandTests(ITestOutputHelper log) : CliTestBase
{
    // Both files of the export in `folder` against the run's model, on the run's test examples at batch 1 and all of them.
    private static ExportDifference CompareWithTheRun(string run, string folder)
    {
        var (config, model) = Training.TrainedRun.Load(run);
        var test = Training.TrainedRun.LoadData(config).Test;
        int n = test.Count;
        var x = Tensor.FromArray(test.ToArray(), n, test.Shape.Features);
        int[] labels = model.IsConditional ? test.Labels.ToArray() : [];
        var encoder = File.ReadAllBytes(Path.Combine(folder, RunFolder.EncoderOnnx));
        var decoder = File.ReadAllBytes(Path.Combine(folder, RunFolder.DecoderOnnx));
        Assert.Equal(model.IsConditional ? ["x", "label"] : ["x"], Onnx.ModelProto.Parser.ParseFrom(encoder).Graph.Input.Select(i => i.Name));
        var all = ExportCheck.Compare(encoder, decoder, model, x, labels);
        var one = ExportCheck.Compare(encoder, decoder, model, x.Narrow(0, 0, 1).Clone(), model.IsConditional ? labels[..1] : []);
        return all.Worst(one);
    }

    private static string[] Snapshot(string folder) =>
        Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(p => $"{Path.GetRelativePath(folder, p)} {File.GetLastWriteTimeUtc(p):O}").Order().ToArray();

    [Theory]
    [InlineData("mlp")]
    [InlineData("conv")]
    [InlineData("ae")]
    [InlineData("cvae")]
    public void ExportWritesBothFilesIntoTheRunsExportFolderAndTheyAgreeWithTheModel(string kind)
    {
        string[] extra = kind == "conv" ? ["--model", "conv", "--channels", "4,4", "--no-report"] : ["--model", kind, "--no-report"];
        string run = TrainedRun(kind, extra);
        var (code, output, err) = Run("export", run);
        Assert.True(code == 0, err);
        string folder = Path.Combine(run, "export");
        string outputs = kind == "ae" ? "z" : "mu, logvar", inputs = kind == "cvae" ? ", label" : "";
        Assert.Equal($"wrote {Path.Combine(folder, "encoder.onnx")} (x{inputs} → {outputs}) and decoder.onnx (z{inputs} → params, mean), ONNX opset 17",
            output.Trim());
        Assert.Equal(["decoder.onnx", "encoder.onnx"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        var difference = CompareWithTheRun(run, folder);
        log.WriteLine($"trained {kind}: {difference}");
        Assert.InRange(difference.Max, 0, 1e-5f);
    }

    /// <summary>The quick start's model at its size — `elbo train` with every default: mlp 784-400-20, Bernoulli,
    /// Fashion-MNIST — exported by `elbo export` and compared on all 10,000 Fashion-MNIST test images: the encoder's μ
    /// and log σ², the decoder's params (Bernoulli logits) and mean (pixel probabilities) at z = μ and at z ~ N(0, I).
    /// The run is one epoch trained here, or the run folder named by ELBO_QUICKSTART_RUN (docs/export.md's figures
    /// are of the quick start's own run, its 10 epochs); the export goes into the test's folder either way.
    /// <para>μ, log σ² and the mean must agree within 1e-5. The logits of a trained run reach |40| and more, where
    /// float32 values are 4e-6 apart, and are sums of 400 products: two correct implementations summing in another
    /// order differ there by more than 1e-5 (the quick start's run: 1.7e-5, each as close to a float64 evaluation as
    /// the other — the test prints both at the worst logit). So the logits are held to PyTorch's float32 tolerance
    /// (torch.testing.assert_close: |ONNX − Elbo| ≤ 1e-5 + 1.3e-6·|Elbo|), whose absolute part is the same 1e-5.</para></summary>
    [Fact]
    public void TheQuickStartsRunExportsAndAgreesOnEveryFashionMnistTestImage()
    {
        string run = Environment.GetEnvironmentVariable("ELBO_QUICKSTART_RUN") is { Length: > 0 } given ? given : Path.Combine(_dir, "quick-start");
        if (run.StartsWith(_dir, StringComparison.Ordinal))
        {
            var (trained, _, trainErr) = Run("train", "--out", run, "--epochs", "1", "--no-report");
            Assert.True(trained == 0, trainErr);
        }
        string folder = Path.Combine(_dir, "quick-start-export");
        var (code, _, err) = Run("export", run, "--out", folder);
        Assert.True(code == 0, err);

        var (config, model) = Training.TrainedRun.Load(run);
        Assert.Equal(("mlp", "bernoulli", DataSource.FashionMnist, 784, 20), (config.Model.Name, config.Likelihood.Name, config.Dataset, config.Input.Features, config.Latent));
        Assert.Equal([400], config.Hidden);
        var test = Training.TrainedRun.LoadData(config).Test;
        Assert.Equal(10_000, test.Count);
        var x = Tensor.FromArray(test.ToArray(), test.Count, test.Shape.Features);
        var encoder = File.ReadAllBytes(Path.Combine(folder, RunFolder.EncoderOnnx));
        var decoder = File.ReadAllBytes(Path.Combine(folder, RunFolder.DecoderOnnx));
        var (outputs, mu) = ExportCheck.CompareEncoder(encoder, model, x, []);
        Assert.Equal(["mu", "logvar"], outputs.Select(o => o.Name));
        var atMu = ExportCheck.RunDecoder(decoder, model, mu, []);
        var atPrior = ExportCheck.RunDecoder(decoder, model, Tensor.Randn(new Generator(1), test.Count, model.Latent), []);

        var (worst, at) = WorstDifference(atMu.Params, atMu.OnnxParams);
        double exact = Float64Logit(model, mu, at);
        log.WriteLine($"quick start {run}, {test.Count:N0} test images: encoder mu {outputs[0].Difference:E2}, logvar {outputs[1].Difference:E2}; " +
            $"decoder at z = mu: params {worst:E2}, mean {OnnxTestRuntime.MaxAbsDifference(atMu.Mean, atMu.OnnxMean):E2}; " +
            $"at z ~ N(0, I): params {OnnxTestRuntime.MaxAbsDifference(atPrior.Params, atPrior.OnnxParams):E2}, mean {OnnxTestRuntime.MaxAbsDifference(atPrior.Mean, atPrior.OnnxMean):E2}; " +
            $"max |logit| {MaxAbs(atMu.Params):F1}; the worst logit {atMu.Params.Data[at]:F6}: Elbo − float64 {atMu.Params.Data[at] - exact:E2}, ONNX Runtime − float64 {atMu.OnnxParams.Data[at] - exact:E2}");
        Assert.All(outputs, o => Assert.InRange(o.Difference, 0, 1e-5f));
        foreach (var d in new[] { atMu, atPrior })
        {
            Assert.InRange(OnnxTestRuntime.MaxAbsDifference(d.Mean, d.OnnxMean), 0, 1e-5f);
            AssertCloseAsPyTorchFloat32(d.Params, d.OnnxParams);
        }
    }

    // The largest |a − b| and where it is.
    private static (float Difference, int At) WorstDifference(Tensor a, Tensor b)
    {
        Assert.Equal(a.ShapeArray(), b.ShapeArray());
        var x = a.Data;
        var y = b.Data;
        (float Difference, int At) worst = (0, 0);
        for (int i = 0; i < x.Length; i++)
            if (MathF.Abs(x[i] - y[i]) > worst.Difference) worst = (MathF.Abs(x[i] - y[i]), i);
        return worst;
    }

    private static float MaxAbs(Tensor a)
    {
        float max = 0;
        foreach (float v in a.Data) max = MathF.Max(max, MathF.Abs(v));
        return max;
    }

    // torch.testing.assert_close's float32 tolerance: |onnx − elbo| ≤ 1e-5 + 1.3e-6·|elbo| at every element.
    private static void AssertCloseAsPyTorchFloat32(Tensor elbo, Tensor onnx)
    {
        var x = elbo.Data;
        var y = onnx.Data;
        for (int i = 0; i < x.Length; i++)
            if (MathF.Abs(x[i] - y[i]) > 1e-5f + 1.3e-6f * MathF.Abs(x[i]))
                Assert.Fail($"element {i}: ONNX Runtime {y[i]}, Elbo {x[i]}: |difference| {MathF.Abs(x[i] - y[i]):E2} > 1e-5 + 1.3e-6·|Elbo|");
    }

    // Logit `at` of the MLP decoder (Linear, ReLU, Linear) on the codes z, evaluated in float64 from the float32 weights.
    private static double Float64Logit(Models.LatentVariableModel model, Tensor z, int at)
    {
        var weights = model.StateDict();
        var (w1, b1, w2, b2) = (weights["decoder.0.weight"].ToArray(), weights["decoder.0.bias"].ToArray(), weights["decoder.2.weight"].ToArray(), weights["decoder.2.bias"].ToArray());
        int latent = model.Latent, hidden = b1.Length, row = at / b2.Length, column = at % b2.Length;
        var code = z.ToArray().AsSpan(row * latent, latent);
        double logit = b2[column];
        for (int j = 0; j < hidden; j++)
        {
            double h = b1[j];
            for (int i = 0; i < latent; i++) h += (double)w1[j * latent + i] * code[i];
            logit += (double)w2[column * hidden + j] * Math.Max(h, 0);
        }
        return logit;
    }

    [SklearnFact]
    public void ATableRunExportsAndAgreesOnItsTestRows()
    {
        var lines = File.ReadAllLines(Path.Combine(SklearnFactAttribute.Folder, "boston_house_prices.csv"));
        string data = Path.Combine(_dir, "boston.csv");
        File.WriteAllLines(data, lines[1..]);
        string run = TrainedRun("boston", "--data", data, "--categorical", "RAD", "--latent", "2", "--batch-size", "32", "--no-report");
        string folder = Path.Combine(_dir, "onnx");
        var (code, _, err) = Run("export", run, "--out", folder, "--opset", "13");
        Assert.True(code == 0, err);
        Assert.False(Directory.Exists(Path.Combine(run, "export")));
        var difference = CompareWithTheRun(run, folder);
        log.WriteLine($"trained tabular (boston): {difference}");
        Assert.InRange(difference.Max, 0, 1e-5f);
        var metadata = OnnxTestRuntime.Metadata(File.ReadAllBytes(Path.Combine(folder, "decoder.onnx")));
        Assert.Contains("\"RAD\"", metadata["elbo.table_schema"]);
        Assert.Equal(13, Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(folder, "encoder.onnx"))).OpsetImport.Single().Version);
    }

    [Fact]
    public void ExportingAgainReplacesTheFiles()
    {
        string run = TrainedRun("run", "--no-report");
        Assert.Equal(0, Run("export", run, "--opset", "15").Code);
        Assert.Equal(0, Run("export", run).Code);
        var proto = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(run, "export", "decoder.onnx")));
        Assert.Equal(17, proto.OpsetImport.Single().Version);
        Assert.Equal(2, Directory.GetFileSystemEntries(Path.Combine(run, "export")).Length);   // no temporary files left
    }

    [Theory]
    [InlineData("12")]
    [InlineData("22")]
    public void AnOpsetOutsideTheRangeIsAUsageErrorAndWritesNothing(string opset)
    {
        string run = TrainedRun("run", "--no-report");
        var before = Snapshot(run);
        var (code, output, err) = Run("export", run, "--opset", opset);
        Assert.Equal(2, code);
        Assert.Equal($"elbo: --opset {opset} is not supported: Elbo writes ONNX opsets 13 to 21 (default 17)", err.Trim());
        Assert.Empty(output);
        Assert.Equal(before, Snapshot(run));
    }

    [Fact]
    public void BadFoldersAreOneLineUsageErrorsAndWriteNothing()
    {
        string empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var (code, _, err) = Run("export", empty);
        Assert.Equal(2, code);
        Assert.Equal($"elbo: {empty}: no checkpoint (model.safetensors); train with `elbo train --out {empty}` first", err.Trim());
        Assert.Empty(Directory.GetFileSystemEntries(empty));

        string missing = Path.Combine(_dir, "missing");
        (code, _, err) = Run("export", missing);
        Assert.Equal(2, code);
        Assert.Equal($"elbo: {missing}: no such run folder", err.Trim());
        Assert.False(Directory.Exists(missing));

        string run = TrainedRun("run", "--no-report"), file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "keep");
        var before = Snapshot(run);
        (code, _, err) = Run("export", run, "--out", file);
        Assert.Equal(2, code);
        Assert.Equal($"elbo: --out {file} is a file, not a folder", err.Trim());
        Assert.Equal("keep", File.ReadAllText(file));
        Assert.Equal(before, Snapshot(run));

        (code, _, err) = Run("export", run, "--opset", "seventeen");
        Assert.Equal(2, code);
        Assert.StartsWith("elbo: ", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal(before, Snapshot(run));
    }

    [Fact]
    public void AModuleWithoutAnOnnxFormIsAOneLineFailure()
    {
        var stderr = new StringWriter();
        int code = ElboCommand.Report(new OnnxExportException("onnx: module 'encoder.1' (Square) has no ONNX form; Elbo translates …"), stderr);
        Assert.Equal(1, code);
        Assert.Equal("elbo: onnx: module 'encoder.1' (Square) has no ONNX form; Elbo translates …", stderr.ToString().Trim());
    }
}
