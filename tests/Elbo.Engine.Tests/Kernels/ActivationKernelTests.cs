using Elbo.Engine.Kernels;
using Elbo.Engine.Kernels.Common;
using static Elbo.Engine.Tests.Kernels.KernelTestSupport;

namespace Elbo.Engine.Tests.Kernels;

public class ActivationKernelTests
{
    private static readonly (float, float) Wide = (-6f, 6f);
    private static readonly (float, float) Grad = (-2f, 2f);

    [Fact] public void ReluMatchesScalarReferenceAtEveryLength() => CheckUnary(new ReluOperator(), -3f, 3f, "relu");
    [Fact] public void ReluBackwardMatchesScalarReferenceAtEveryLength() => CheckBinary(new ReluBackwardOperator(), Wide, Grad, "relu_backward");
    [Fact] public void LeakyReluMatchesScalarReferenceAtEveryLength() => CheckUnary(new LeakyReluOperator(0.2f), -3f, 3f, "leaky_relu");
    [Fact] public void LeakyReluBackwardMatchesScalarReferenceAtEveryLength() => CheckBinary(new LeakyReluBackwardOperator(0.2f), Wide, Grad, "leaky_relu_backward");
    [Fact] public void SigmoidBackwardMatchesScalarReferenceAtEveryLength() => CheckBinary(new SigmoidBackwardOperator(), (0f, 1f), Grad, "sigmoid_backward");
    [Fact] public void TanhBackwardMatchesScalarReferenceAtEveryLength() => CheckBinary(new TanhBackwardOperator(), (-1f, 1f), Grad, "tanh_backward");
    [Fact] public void SoftplusMatchesScalarReferenceAtEveryLength() => CheckUnary(new SoftplusOperator(), -30f, 30f, "softplus");
    [Fact] public void SoftplusBackwardMatchesScalarReferenceAtEveryLength() => CheckBinary(new SoftplusBackwardOperator(), (-30f, 30f), Grad, "softplus_backward");
    [Fact] public void LogBackwardMatchesScalarReferenceAtEveryLength() => CheckBinary(new LogBackwardOperator(), (0.1f, 5f), Grad, "log_backward");
    [Fact] public void SqrtBackwardMatchesScalarReferenceAtEveryLength() => CheckBinary(new SqrtBackwardOperator(), (0.1f, 5f), Grad, "sqrt_backward");
    [Fact] public void SquareBackwardMatchesScalarReferenceAtEveryLength() => CheckBinary(new SquareBackwardOperator(), Wide, Grad, "square_backward");
    [Fact] public void MultiplyMatchesScalarReferenceAtEveryLength() => CheckBinary(new MultiplyOperator(), Wide, Grad, "multiply");

    [Fact]
    public void ScalarReferencesFollowTheirFormulas()
    {
        Assert.Equal(0f, new ReluOperator().Invoke(-2f));
        Assert.Equal(3f, new ReluOperator().Invoke(3f));
        Assert.Equal(0f, new ReluBackwardOperator().Invoke(0f, 5f));
        Assert.Equal(5f, new ReluBackwardOperator().Invoke(1f, 5f));
        Assert.Equal(-0.4f, new LeakyReluOperator(0.2f).Invoke(-2f), 6);
        Assert.Equal(1f, new LeakyReluBackwardOperator(0.2f).Invoke(-2f, 5f), 6);
        Assert.Equal(0.25f * 3f, new SigmoidBackwardOperator().Invoke(0.5f, 3f), 6);
        Assert.Equal(0.75f * 2f, new TanhBackwardOperator().Invoke(0.5f, 2f), 6);
        foreach (float x in new[] { -80f, -20f, -3f, -0.5f, 0f, 0.5f, 3f, 20f, 80f })
        {
            double reference = Math.Max(x, 0) + Log1p(Math.Exp(-Math.Abs((double)x)));
            Assert.True(Math.Abs(new SoftplusOperator().Invoke(x) - reference) <= 1e-6 * Math.Abs(reference), $"softplus({x})");
            double sig = 1 / (1 + Math.Exp(-(double)x));
            Assert.True(Math.Abs(new SoftplusBackwardOperator().Invoke(x, 1f) - sig) <= 1e-6 * sig + 1e-30, $"softplus'({x})");
        }
    }

    [Fact]
    public void SoftplusIsAccurateAndFiniteForLargeArguments()
    {
        float[] x = [-1e4f, -100f, -88f, -30f, -1e-3f, 0f, 1e-3f, 30f, 88f, 100f, 1e4f, -1e4f, 1e4f, 88f, -88f, 5f, -5f];
        var y = new float[x.Length];
        var dy = new float[x.Length];
        UnaryDriver.Apply(x, y, op: new SoftplusOperator());
        BinaryDriver.Apply(x, Enumerable.Repeat(1f, x.Length).ToArray(), dy, op: new SoftplusBackwardOperator());
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(float.IsFinite(y[i]) && float.IsFinite(dy[i]), $"softplus({x[i]}) = {y[i]}, grad {dy[i]}");
            double reference = Math.Max(x[i], 0) + Log1p(Math.Exp(-Math.Abs((double)x[i])));
            Assert.True(Math.Abs(y[i] - reference) <= 1e-6 * Math.Abs(reference) + 1e-37, $"softplus({x[i]}) = {y[i]:G9}, expected {reference:G9}");
            Assert.InRange(dy[i], 0f, 1f);
        }
    }

    internal static double Log1p(double u) => u < 1e-8 ? u : Math.Log(1 + u);
}
