using Elbo.Engine.Autograd;
using Elbo.Engine.Nn;
using Elbo.Engine.Onnx;
using Elbo.Engine.Tests.Support;
using Google.Protobuf;

namespace Elbo.Engine.Tests.Onnx;

/// <summary>Each module's ONNX form, run in ONNX Runtime, against the module's own forward pass in evaluation mode, at
/// batch sizes 1 and 37 from one file (the batch is symbolic).</summary>
public class OnnxModulesTests
{
    private const float Tolerance = 1e-5f;

    // The module as a graph x (B, inner…) → y, in a model of the given opset.
    private static byte[] Export(Module module, int[] inner, int opset = OnnxOpset.Default)
    {
        var graph = new OnnxGraph("test");
        var x = graph.Input("x", OnnxElementType.Float, [-1, .. inner]);
        graph.Output(OnnxModules.Write(graph, module, "m", x), "y");
        return graph.ToModel(opset).ToByteArray();
    }

    // max |ONNX − engine| over batches of 1 and 37 random inputs (normal, scaled)
    private static float MaxDifference(Module module, int[] inner, float scale = 1f, int opset = OnnxOpset.Default)
    {
        module.Eval();
        var bytes = Export(module, inner, opset);
        float worst = 0;
        foreach (int batch in new[] { 1, 37 })
        {
            var x = Tensor.Randn(new Generator((ulong)batch), [batch, .. inner]) * scale;
            Tensor expected;
            using (GradMode.NoGrad()) expected = module.Forward(x);
            var actual = OnnxTestRuntime.Run(bytes, OnnxInput.Of("x", x))["y"];
            worst = MathF.Max(worst, OnnxTestRuntime.MaxAbsDifference(expected, actual));
        }
        return worst;
    }

    // Running statistics and affine parameters away from their initial 1 and 0, so that using them wrongly shows.
    private static T Randomized<T>(T norm, ulong seed) where T : BatchNormBase
    {
        var g = new Generator(seed);
        Tensor.Uniform(g, -0.5f, 0.5f, norm.NumFeatures).Data.CopyTo(norm.RunningMean.Data);
        Tensor.Uniform(g, 0.2f, 2f, norm.NumFeatures).Data.CopyTo(norm.RunningVar.Data);
        if (norm.Weight is { } w) Tensor.Uniform(g, 0.5f, 1.5f, norm.NumFeatures).Data.CopyTo(w.Data);
        if (norm.Bias is { } b) Tensor.Uniform(g, -0.5f, 0.5f, norm.NumFeatures).Data.CopyTo(b.Data);
        return norm;
    }

    [Fact]
    public void LinearIsAGemmWithOrWithoutBias()
    {
        var g = new Generator(1);
        Assert.InRange(MaxDifference(new Linear(13, 7, g), [13]), 0, Tolerance);
        Assert.InRange(MaxDifference(new Linear(13, 7, g, bias: false), [13]), 0, Tolerance);
    }

    [Theory]
    [InlineData(3, 2, 1, true)]
    [InlineData(5, 1, 2, false)]
    [InlineData(3, 1, 0, true)]
    public void Conv2dKeepsStrideAndPadding(int kernel, int stride, int padding, bool bias)
    {
        var conv = new Conv2d(3, 4, kernel, new Generator(2), stride: stride, padding: padding, bias: bias);
        Assert.InRange(MaxDifference(conv, [3, 11, 9]), 0, Tolerance);
    }

    [Theory]
    [InlineData(3, 2, 1, 1)]
    [InlineData(4, 2, 1, 0)]
    [InlineData(3, 1, 0, 0)]
    [InlineData(3, 3, 1, 2)]
    public void ConvTranspose2dKeepsStridePaddingAndOutputPadding(int kernel, int stride, int padding, int outputPadding)
    {
        var conv = new ConvTranspose2d(4, 2, kernel, new Generator(3), stride: stride, padding: padding, outputPadding: outputPadding);
        Assert.InRange(MaxDifference(conv, [4, 5, 6]), 0, Tolerance);
    }

    [Fact]
    public void BatchNormUsesTheRunningStatisticsInEvaluationMode()
    {
        Assert.InRange(MaxDifference(Randomized(new BatchNorm2d(4), 4), [4, 5, 5]), 0, Tolerance);
        Assert.InRange(MaxDifference(Randomized(new BatchNorm2d(4, eps: 1e-3f, affine: false), 5), [4, 3, 2]), 0, Tolerance);
        Assert.InRange(MaxDifference(Randomized(new BatchNorm1d(6), 6), [6]), 0, Tolerance);
        Assert.InRange(MaxDifference(Randomized(new BatchNorm1d(6), 7), [6, 3]), 0, Tolerance);
    }

    [Fact]
    public void ActivationsAgreeIncludingLargeInputsAndTheLeakySlope()
    {
        foreach (var m in new Module[] { new ReLU(), new LeakyReLU(), new LeakyReLU(0.2f), new Sigmoid(), new Tanh(), new Softplus(), new Dropout(new Generator(1), 0.5f) })
            Assert.InRange(MaxDifference(m, [5, 7], scale: 8f), 0, Tolerance);
    }

    [Fact]
    public void FlattenAndUnflattenKeepTheBatchSymbolic()
    {
        Assert.InRange(MaxDifference(new Sequential(new Unflatten(1, 2, 3, 4), new Flatten()), [24]), 0, 0);
        Assert.InRange(MaxDifference(new Sequential(new Unflatten(1, 2, 3, -1), new Flatten(2, 3)), [2 * 3 * 4 * 5]), 0, 0);
        Assert.InRange(MaxDifference(new Flatten(1, 2), [2, 3, 4]), 0, 0);
    }

    [Fact]
    public void PyTorchVaeStyleConvNetworksAgree()
    {
        // VanillaVAE's blocks on 1×28×28: Conv2d(3, s2, p1) + BatchNorm2d + LeakyReLU, then back with ConvTranspose2d(op 1)
        var g = new Generator(8);
        var net = new Sequential(new Unflatten(1, 1, 28, 28),
            new Conv2d(1, 8, 3, g, stride: 2, padding: 1), Randomized(new BatchNorm2d(8), 9), new LeakyReLU(),
            new Conv2d(8, 16, 3, g, stride: 2, padding: 1), Randomized(new BatchNorm2d(16), 10), new LeakyReLU(), new Flatten(),
            new Linear(16 * 7 * 7, 16 * 7 * 7, g), new Unflatten(1, 16, 7, 7),
            new ConvTranspose2d(16, 8, 3, g, stride: 2, padding: 1, outputPadding: 1), Randomized(new BatchNorm2d(8), 11), new LeakyReLU(),
            new ConvTranspose2d(8, 8, 3, g, stride: 2, padding: 1, outputPadding: 1), Randomized(new BatchNorm2d(8), 12), new LeakyReLU(),
            new Conv2d(8, 2, 3, g, padding: 1), new Flatten());
        Assert.InRange(MaxDifference(net, [784]), 0, Tolerance);
    }

    [Fact]
    public void WeightsAreInitializersNamedByTheirDottedPath()
    {
        var g = new Generator(1);
        var net = new Sequential(new Linear(4, 3, g), new ReLU(), new Sequential(new Linear(3, 2, g), Randomized(new BatchNorm1d(2), 2)));
        net.Eval();
        var graph = new OnnxGraph("names");
        var x = graph.Input("x", OnnxElementType.Float, [-1, 4]);
        graph.Output(OnnxModules.Write(graph, net, "encoder", x), "h");
        var model = graph.ToModel(OnnxOpset.Default);
        Assert.Equal(
            ["encoder.0.weight", "encoder.0.bias", "encoder.2.0.weight", "encoder.2.0.bias", "encoder.2.1.weight", "encoder.2.1.bias",
             "encoder.2.1.running_mean", "encoder.2.1.running_var"],
            model.Graph.Initializer.Select(i => i.Name));
        Assert.Equal(["Gemm", "Relu", "Gemm", "BatchNormalization"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal("h", model.Graph.Node[^1].Output[0]);
        Assert.Equal(OnnxGraph.BatchDim, model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
    }

    [Fact]
    public void AnUnknownModuleIsAnErrorNamingItsPathAndType()
    {
        var model = new TinyAutoencoder(new Generator(1));
        var graph = new OnnxGraph("unknown");
        var x = graph.Input("x", OnnxElementType.Float, [-1, 4]);
        var e = Assert.Throws<OnnxExportException>(() => OnnxModules.Write(graph, model.Encoder, "encoder", x));
        Assert.StartsWith("onnx: module 'encoder.1' (Square) has no ONNX form; Elbo translates Sequential, Linear,", e.Message);
    }

    [Fact]
    public void TrainingModeAndMisfittingInputsAreErrors()
    {
        var graph = new OnnxGraph("errors");
        var x = graph.Input("x", OnnxElementType.Float, [-1, 4, 3, 3]);
        var e = Assert.Throws<OnnxExportException>(() => OnnxModules.Write(graph, new BatchNorm2d(4), "decoder.3", x));
        Assert.Equal("onnx: module 'decoder.3' (BatchNorm2d) is in training mode; export translates evaluation mode (call Eval() first)", e.Message);
        e = Assert.Throws<OnnxExportException>(() => OnnxModules.Write(graph, new Linear(5, 2, new Generator(1)), "fc", graph.Input("h", OnnxElementType.Float, [-1, 4])));
        Assert.Equal("onnx: module 'fc': Linear takes (B,5) inputs (input (B,4))", e.Message);
        e = Assert.Throws<OnnxExportException>(() => OnnxModules.Write(graph, new Conv2d(3, 2, 3, new Generator(1)), "conv", x));
        Assert.Equal("onnx: module 'conv': Conv2d takes (N,3,H,W) inputs (input (B,4,3,3))", e.Message);
        e = Assert.Throws<OnnxExportException>(() => OnnxModules.Write(graph, new Flatten(0), "flat", x));
        Assert.Equal("onnx: module 'flat': Flatten cannot merge the batch dimension, which stays symbolic (input (B,4,3,3))", e.Message);
    }

    [Fact]
    public void EveryOpsetInTheRangeRunsTheSameAndOthersAreRefused()
    {
        var g = new Generator(5);
        var net = new Sequential(new Unflatten(1, 2, 4, 4), new Conv2d(2, 3, 3, g, stride: 2, padding: 1), Randomized(new BatchNorm2d(3), 6),
            new LeakyReLU(), new ConvTranspose2d(3, 2, 3, g, stride: 2, padding: 1, outputPadding: 1), new Flatten(), new Sigmoid());
        for (int opset = OnnxOpset.Min; opset <= OnnxOpset.Max; opset++)
            Assert.InRange(MaxDifference(net, [32], opset: opset), 0, Tolerance);
        var graph = new OnnxGraph("g");
        graph.Output(graph.Input("x", OnnxElementType.Float, [-1, 2]), "y");
        Assert.Equal("onnx: opset 12 is not supported (Elbo writes opsets 13 to 21)", Assert.Throws<ArgumentException>(() => graph.ToModel(12)).Message);
        Assert.Throws<ArgumentException>(() => graph.ToModel(22));
        Assert.Equal([7L, 7, 8, 8, 8, 8, 9, 9, 10], Enumerable.Range(13, 9).Select(o => graph.ToModel(o).IrVersion));
    }

    [OnnxCheckerTheory]
    [InlineData(13)]
    [InlineData(15)]
    [InlineData(17)]
    public void TheOnnxCheckerAcceptsTheGraphs(int opset)
    {
        // Debian's python3-onnx is 1.12, which knows opsets up to 17: the checker sees the opsets it can judge.
        var g = new Generator(7);
        var net = new Sequential(new Linear(32, 32, g), new Unflatten(1, 2, 4, 4), new Conv2d(2, 3, 3, g, stride: 2, padding: 1),
            Randomized(new BatchNorm2d(3), 8), new LeakyReLU(0.2f), new ConvTranspose2d(3, 2, 3, g, stride: 2, padding: 1, outputPadding: 1),
            new Flatten(), new Tanh(), new Linear(32, 4, g, bias: false), new Softplus());
        net.Eval();
        string path = Path.Combine(Path.GetTempPath(), $"elbo-onnx-{Environment.ProcessId}-{opset}.onnx");
        try
        {
            File.WriteAllBytes(path, Export(net, [32], opset));
            var (code, error) = OnnxTestRuntime.Check(path);
            Assert.True(code == 0, error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [OnnxCheckerFact]
    public void TheOnnxCheckerRejectsAGraphThatUsesAnUndefinedValue()
    {
        var other = new OnnxGraph("other");
        var stranger = other.Input("elsewhere", OnnxElementType.Float, [-1, 2]);
        var graph = new OnnxGraph("broken");
        graph.Input("x", OnnxElementType.Float, [-1, 2]);
        graph.Output(graph.Unary("Relu", stranger, "y"), "y");
        string path = Path.Combine(Path.GetTempPath(), $"elbo-onnx-{Environment.ProcessId}-broken.onnx");
        try
        {
            File.WriteAllBytes(path, graph.ToModel(OnnxOpset.Default).ToByteArray());
            var (code, error) = OnnxTestRuntime.Check(path);
            Assert.NotEqual(0, code);
            Assert.Contains("elsewhere", error);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
