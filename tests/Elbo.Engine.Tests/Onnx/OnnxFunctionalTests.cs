using Elbo.Engine.Nn;
using Elbo.Engine.Onnx;
using Elbo.Engine.Tests.Support;
using Google.Protobuf;

namespace Elbo.Engine.Tests.Onnx;

public class OnnxFunctionalTests
{
    [Fact]
    public void TheContinuousBernoulliMeanAgreesWithTheEngineOnBothBranchesAndAtZero()
    {
        // 0 (where the closed form is 0/0), tiny logits, both sides of the series bound 4, large logits, and a random spread
        var special = new float[] { 0f, 1e-7f, -1e-7f, 1e-3f, -1e-3f, 0.5f, -0.5f, 3.999f, -3.999f, 4f, -4f, 4.001f, -4.001f, 10f, -10f, 30f, -30f, 100f, -100f, 1e4f, -1e4f };
        var random = Tensor.Randn(new Generator(3), 4000) * 6f;
        var logits = Tensor.FromArray([.. special, .. random.ToArray()], 1, special.Length + random.Numel);

        var graph = new OnnxGraph("cb");
        var input = graph.Input("logits", OnnxElementType.Float, [-1, logits.Dim(1)]);
        graph.Output(OnnxFunctional.ContinuousBernoulliMean(graph, input, "mean"), "mean");
        var actual = OnnxTestRuntime.Run(graph.ToModel(OnnxOpset.Default).ToByteArray(), OnnxInput.Of("logits", logits))["mean"];

        var expected = Functional.ContinuousBernoulliMean(logits);
        Assert.InRange(OnnxTestRuntime.MaxAbsDifference(expected, actual), 0, 1e-6f);
        Assert.Equal(0.5f, actual.Data[0]);
        Assert.All(actual.ToArray(), v => Assert.InRange(v, 0f, 1f));
    }
}
