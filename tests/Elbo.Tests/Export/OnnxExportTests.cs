using System.Text.Json;
using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Engine.Nn;
using Elbo.Engine.Onnx;
using Elbo.Engine.Tests.Support;
using Elbo.Export;
using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Serialization;
using Elbo.Tests.Data;
using Elbo.Tests.Tables;
using Xunit.Abstractions;

namespace Elbo.Tests.Export;

/// <summary>Every model kind and every likelihood exported and run in ONNX Runtime against Elbo's own forward pass, on
/// random and real inputs at batch sizes 1 and 37 from the same files.</summary>
public class OnnxExportTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-5f;

    // The worst difference over batches of 1 and 37, random and real, printed for the record.
    private ExportDifference Check(RunConfig config, LatentVariableModel model, (Tensor X, int[] Labels) real, Func<int, Tensor> random, string what)
    {
        var export = OnnxExport.Create(config, model);
        var worst = new ExportDifference(0, 0, 0);
        foreach (int batch in new[] { 1, 37 })
        {
            int[] labels = model.IsConditional ? real.Labels[..batch] : [];
            worst = worst.Worst(ExportCheck.Compare(export, model, random(batch), labels, (ulong)batch));
            worst = worst.Worst(ExportCheck.Compare(export, model, real.X.Narrow(0, 0, batch).Clone(), labels, (ulong)batch + 100));
        }
        output.WriteLine($"{what}: {worst}");
        Assert.InRange(worst.Max, 0, Tolerance);
        return worst;
    }

    [Theory]
    [InlineData("mlp", "bernoulli")]
    [InlineData("mlp", "gaussian")]
    [InlineData("mlp", "gaussian-learned")]
    [InlineData("mlp", "continuous-bernoulli")]
    [InlineData("conv", "bernoulli")]
    [InlineData("conv", "gaussian")]
    [InlineData("conv", "gaussian-learned")]
    [InlineData("conv", "continuous-bernoulli")]
    [InlineData("ae", "bernoulli")]
    [InlineData("ae", "gaussian")]
    [InlineData("ae", "gaussian-learned")]
    [InlineData("ae", "continuous-bernoulli")]
    [InlineData("cvae", "bernoulli")]
    [InlineData("cvae", "gaussian")]
    [InlineData("cvae", "gaussian-learned")]
    [InlineData("cvae", "continuous-bernoulli")]
    public void AnImageModelAgreesWithElboOnFashionMnistAndRandomPictures(string kind, string likelihood)
    {
        var real = ExportFixtures.FashionMnist(37);
        var config = ExportFixtures.Config(kind, likelihood, ExportFixtures.Picture, classes: kind == "cvae" ? 10 : 0);
        var model = ExportFixtures.Model(config, real.X, real.Labels);
        Check(config, model, real, b => Tensor.Uniform(new Generator((ulong)b), 0f, 1f, b, 784), $"{kind} {likelihood}");
    }

    [Fact]
    public void AConvModelOnColourPicturesKeepsTheChannelLayout()
    {
        var input = DataShape.Rgb(16, 16);
        var pictures = Tensor.Uniform(new Generator(9), 0f, 1f, 37, input.Features);
        var config = ExportFixtures.Config("conv", "gaussian-learned", input);
        var model = ExportFixtures.Model(config, pictures, []);
        Check(config, model, (pictures, []), b => Tensor.Randn(new Generator((ulong)b), b, input.Features), "conv gaussian-learned 3x16x16");
    }

    [SklearnTheory]
    [InlineData("mlp")]
    [InlineData("ae")]
    public void ATableModelAgreesWithElboOnBostonHousingRows(string kind)
    {
        using var dir = new TempFolder();
        var (rows, schema) = ExportFixtures.Boston(dir);
        var layout = TabularLayout.FromSchema(schema);
        Assert.True(layout is { Numeric: > 0, Boolean: > 0, Categorical: > 0 }, $"boston: {layout}");   // every kind of column
        var config = ExportFixtures.Config(kind, "tabular", rows.Shape, table: schema);
        var real = ExportFixtures.Rows(rows, 37);
        var model = ExportFixtures.Model(config, real.X, []);
        Check(config, model, real, b => Tensor.Randn(new Generator((ulong)b), b, rows.Shape.Features), $"{kind} tabular (boston)");
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("cvae")]
    public void ATableModelAgreesWithElboOnRowsWithMissingValuesAndALabel(string kind)
    {
        using var dir = new TempFolder();
        var (rows, schema) = ExportFixtures.Mixed(dir);
        var config = ExportFixtures.Config(kind, "tabular", rows.Shape, classes: kind == "cvae" ? schema.ClassNames!.Count : 0, table: schema);
        var real = ExportFixtures.Rows(rows, 37);
        var layout = TabularLayout.FromSchema(schema);
        var values = real.X.ToArray();
        Assert.Contains(Enumerable.Range(0, 37), i => values.AsSpan((i + 1) * layout.InputWidth - layout.Columns, layout.Columns).Contains(0f));   // rows with a missing value
        var model = ExportFixtures.Model(config, real.X, real.Labels);
        Check(config, model, real, b => Tensor.Randn(new Generator((ulong)b), b, rows.Shape.Features), $"{kind} tabular (mixed)");
    }

    [Fact]
    public void TheGraphsNameTheirInputsAndOutputsAndKeepTheBatchSymbolic()
    {
        var vae = OnnxExport.Create(ExportFixtures.Config("mlp", "bernoulli", ExportFixtures.Picture), Fresh("mlp", "bernoulli"));
        Assert.Equal(["x"], vae.EncoderInputs);
        Assert.Equal(["mu", "logvar"], vae.EncoderOutputs);
        Assert.Equal(["z"], vae.DecoderInputs);
        var ae = OnnxExport.Create(ExportFixtures.Config("ae", "bernoulli", ExportFixtures.Picture), Fresh("ae", "bernoulli"));
        Assert.Equal(["z"], ae.EncoderOutputs);
        var cvae = OnnxExport.Create(ExportFixtures.Config("cvae", "gaussian-learned", ExportFixtures.Picture, classes: 10), Fresh("cvae", "gaussian-learned", 10));
        Assert.Equal(["x", "label"], cvae.EncoderInputs);
        Assert.Equal(["z", "label"], cvae.DecoderInputs);

        var decoder = Onnx.ModelProto.Parser.ParseFrom(cvae.Decoder);
        Assert.Equal(["z", "label"], decoder.Graph.Input.Select(i => i.Name));
        Assert.Equal(["params", "mean"], decoder.Graph.Output.Select(o => o.Name));
        Assert.Equal((int)OnnxElementType.Int64, decoder.Graph.Input[1].Type.TensorType.ElemType);
        Assert.All(decoder.Graph.Input.Concat(decoder.Graph.Output), v => Assert.Equal(OnnxGraph.BatchDim, v.Type.TensorType.Shape.Dim[0].DimParam));
        Assert.Equal([1568L, 784], decoder.Graph.Output.Select(o => o.Type.TensorType.Shape.Dim[1].DimValue));
        Assert.DoesNotContain(decoder.Graph.Node, n => n.OpType.StartsWith("Random", StringComparison.Ordinal));
        Assert.Equal(17, decoder.OpsetImport.Single().Version);
    }

    [Fact]
    public void MetadataCarriesTheConfigTheNormalizationAndTheClassNames()
    {
        var config = ExportFixtures.Config("cvae", "bernoulli", ExportFixtures.Picture, classes: 10) with { ClassNames = [.. Enumerable.Range(0, 10).Select(i => $"c{i}")] };
        var export = OnnxExport.Create(config, Fresh("cvae", "bernoulli", 10));
        foreach (var (bytes, graph) in new[] { (export.Encoder, "encoder"), (export.Decoder, "decoder") })
        {
            var metadata = OnnxTestRuntime.Metadata(bytes);
            Assert.Equal(graph, metadata["elbo.graph"]);
            Assert.Equal(("cvae", "bernoulli", "diagonal Gaussian", "5", "10"),
                (metadata["elbo.model"], metadata["elbo.likelihood"], metadata["elbo.posterior"], metadata["elbo.latent"], metadata["elbo.classes"]));
            Assert.Equal("""{"kind":"scale 1/255","mean":null,"std":null}""", metadata["elbo.normalization"]);
            Assert.Equal("""{"channels":1,"height":28,"width":28,"kind":"image"}""", metadata["elbo.input"]);
            Assert.Equal(config.ClassNames, JsonSerializer.Deserialize<string[]>(metadata["elbo.class_names"]));
            Assert.Equal(RunConfigFile.ToJson(config), RunConfigFile.ToJson(RunConfigFile.FromJson(metadata["elbo.config"], "metadata")));
            Assert.False(metadata.ContainsKey("elbo.table_schema"));
        }
    }

    [Fact]
    public void ATableExportCarriesItsColumnSchema()
    {
        using var dir = new TempFolder();
        var (rows, schema) = ExportFixtures.Mixed(dir);
        var config = ExportFixtures.Config("mlp", "tabular", rows.Shape, table: schema);
        var export = OnnxExport.Create(config, ExportFixtures.Model(config, ExportFixtures.Rows(rows, 8).X, []));
        var metadata = OnnxTestRuntime.Metadata(export.Decoder);
        var back = TableSchemaFile.FromJson(metadata["elbo.table_schema"], "metadata");
        Assert.Equal(TableSchemaFile.ToJson(schema), TableSchemaFile.ToJson(back));
        Assert.Equal(schema.Describe(), JsonDocument.Parse(metadata["elbo.normalization"]).RootElement.GetProperty("kind").GetString());
    }

    [OnnxCheckerTheory]
    [InlineData("mlp", "continuous-bernoulli", 17)]
    [InlineData("conv", "gaussian-learned", 17)]
    [InlineData("conv", "bernoulli", 13)]
    [InlineData("ae", "gaussian", 17)]
    [InlineData("cvae", "bernoulli", 15)]
    public void TheOnnxCheckerAcceptsBothFiles(string kind, string likelihood, int opset)
    {
        using var dir = new TempFolder();
        var config = ExportFixtures.Config(kind, likelihood, ExportFixtures.Picture, classes: kind == "cvae" ? 10 : 0);
        OnnxExport.Create(config, Fresh(kind, likelihood, config.Classes ?? 0), opset).Write(dir.Path);
        foreach (string file in new[] { RunFolder.EncoderOnnx, RunFolder.DecoderOnnx })
        {
            var (code, error) = OnnxTestRuntime.Check(dir.File(file));
            Assert.True(code == 0, $"{file}: {error}");
        }
    }

    [OnnxCheckerFact]
    public void TheOnnxCheckerAcceptsATableExport()
    {
        using var dir = new TempFolder();
        var (rows, schema) = ExportFixtures.Mixed(dir);
        var config = ExportFixtures.Config("cvae", "tabular", rows.Shape, classes: schema.ClassNames!.Count, table: schema);
        var real = ExportFixtures.Rows(rows, 8);
        OnnxExport.Create(config, ExportFixtures.Model(config, real.X, real.Labels)).Write(dir.Path);
        foreach (string file in new[] { RunFolder.EncoderOnnx, RunFolder.DecoderOnnx })
        {
            var (code, error) = OnnxTestRuntime.Check(dir.File(file));
            Assert.True(code == 0, $"{file}: {error}");
        }
    }

    [Fact]
    public void AnOpsetOutsideTheRangeIsASettingError()
    {
        var config = ExportFixtures.Config("mlp", "bernoulli", ExportFixtures.Picture);
        var e = Assert.Throws<SettingException>(() => OnnxExport.Create(config, Fresh("mlp", "bernoulli"), 12));
        Assert.Equal(("opset", "12 is not supported: Elbo writes ONNX opsets 13 to 21 (default 17)"), (e.Setting, e.Problem));
        Assert.Throws<SettingException>(() => OnnxExport.Create(config, Fresh("mlp", "bernoulli"), 22));
    }

    [Fact]
    public void AModelWithAnUnknownModuleIsAnErrorNamingIt()
    {
        var g = new Generator(1);
        var encoder = new Sequential(new Linear(784, 8, g), new Elbo.Engine.Tests.Support.Square());
        var model = new Vae("mlp", ExportFixtures.Picture, encoder, 8, 5, new Sequential(new Linear(5, 784, g)), new BernoulliLikelihood(), g);
        model.Eval();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExport.Create(ExportFixtures.Config("mlp", "bernoulli", ExportFixtures.Picture), model));
        Assert.StartsWith("onnx: module 'encoder.1' (Square) has no ONNX form", e.Message);
    }

    [Fact]
    public void AModelInTrainingModeIsAnError()
    {
        var model = Fresh("conv", "bernoulli");
        model.Train();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExport.Create(ExportFixtures.Config("conv", "bernoulli", ExportFixtures.Picture), model));
        Assert.Equal("conv: the model is in training mode; export translates evaluation mode (call Eval() first)", e.Message);
    }

    private static LatentVariableModel Fresh(string kind, string likelihood, int classes = 0)
    {
        var config = ExportFixtures.Config(kind, likelihood, ExportFixtures.Picture, classes);
        var model = ModelRegistry.Create(config.ModelOptions(), new Generator(1));
        model.Eval();
        return model;
    }
}
