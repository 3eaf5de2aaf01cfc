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
