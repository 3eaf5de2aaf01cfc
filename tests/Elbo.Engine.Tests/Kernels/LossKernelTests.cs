using Elbo.Engine.Kernels;
using Elbo.Engine.Kernels.Common;
using static Elbo.Engine.Tests.Kernels.KernelTestSupport;

namespace Elbo.Engine.Tests.Kernels;

public class LossKernelTests
{
    private static readonly (float, float) Logit = (-12f, 12f);
    private static readonly (float, float) Unit = (0f, 1f);
    private static readonly (float, float) Val = (-3f, 3f);
    private static readonly (float, float) LogVar = (-4f, 4f);

    [Fact] public void BceWithLogitsMatchesScalarReferenceAtEveryLength() => CheckBinary(new BceWithLogitsOperator(), Logit, Unit, "bce");
    [Fact] public void BceWithLogitsGradMatchesScalarReferenceAtEveryLength() => CheckBinary(new BceWithLogitsGradOperator(0.3f), Logit, Unit, "bce_grad");
    [Fact] public void BceWithLogitsGradWithUpstreamMatchesScalarReferenceAtEveryLength() => CheckTernary(new BceWithLogitsGradOperator(1f), Logit, Unit, Val, "bce_grad_dy");
    [Fact] public void BceWithLogitsTargetGradMatchesScalarReferenceAtEveryLength() => CheckUnary(new BceWithLogitsTargetGradOperator(0.5f), -12f, 12f, "bce_target_grad");
    [Fact] public void BceWithLogitsTargetGradWithUpstreamMatchesScalarReferenceAtEveryLength() => CheckBinary(new BceWithLogitsTargetGradOperator(1f), Logit, Val, "bce_target_grad_dy");
    [Fact] public void SquaredErrorMatchesScalarReferenceAtEveryLength() => CheckBinary(new SquaredErrorOperator(), Val, Val, "squared_error");
    [Fact] public void SquaredErrorGradMatchesScalarReferenceAtEveryLength() => CheckBinary(new SquaredErrorGradOperator(0.7f), Val, Val, "squared_error_grad");
    [Fact] public void SquaredErrorGradWithUpstreamMatchesScalarReferenceAtEveryLength() => CheckTernary(new SquaredErrorGradOperator(1f), Val, Val, Val, "squared_error_grad_dy");
    [Fact] public void GaussianNllMatchesScalarReferenceAtEveryLength() => CheckTernary(new GaussianNllOperator(true), Val, LogVar, Val, "gaussian_nll");
    [Fact] public void GaussianNllWithoutConstantMatchesScalarReferenceAtEveryLength() => CheckTernary(new GaussianNllOperator(false), Val, LogVar, Val, "gaussian_nll_partial");
    [Fact] public void GaussianNllMeanGradMatchesScalarReferenceAtEveryLength() => CheckTernary(new GaussianNllMeanGradOperator(0.5f), Val, LogVar, Val, "gaussian_nll_mean_grad");
    [Fact] public void GaussianNllMeanGradWithUpstreamMatchesScalarReferenceAtEveryLength() => CheckQuaternary(new GaussianNllMeanGradOperator(1f), Val, LogVar, Val, Val, "gaussian_nll_mean_grad_dy");
    [Fact] public void GaussianNllLogVarGradMatchesScalarReferenceAtEveryLength() => CheckTernary(new GaussianNllLogVarGradOperator(0.5f), Val, LogVar, Val, "gaussian_nll_logvar_grad");
    [Fact] public void GaussianNllLogVarGradWithUpstreamMatchesScalarReferenceAtEveryLength() => CheckQuaternary(new GaussianNllLogVarGradOperator(1f), Val, LogVar, Val, Val, "gaussian_nll_logvar_grad_dy");

    [Fact]
    public void ScalarLossReferencesFollowTheirFormulas()
    {
        foreach (float x in new[] { -30f, -2f, -0.1f, 0f, 0.7f, 4f, 30f })
            foreach (float t in new[] { 0f, 0.25f, 1f })
            {
                double p = 1 / (1 + Math.Exp(-(double)x));
                double bce = Math.Max(x, 0) - x * (double)t + ActivationKernelTests.Log1p(Math.Exp(-Math.Abs((double)x)));
                Assert.True(Math.Abs(new BceWithLogitsOperator().Invoke(x, t) - bce) <= 1e-6 * Math.Abs(bce) + 1e-6, $"bce({x},{t})");
                Assert.True(Math.Abs(new BceWithLogitsGradOperator(1f).Invoke(x, t) - (p - t)) <= 1e-6, $"bce'({x},{t})");
            }
        Assert.Equal(0.5f * (GaussianNllOperator.Log2Pi + 1f + 4f * MathF.Exp(-1f)), new GaussianNllOperator(true).Invoke(1f, 1f, 3f), 5);
        Assert.Equal(2f * MathF.Exp(-1f), new GaussianNllMeanGradOperator(1f).Invoke(3f, 1f, 1f), 5);
        Assert.Equal(0.5f * (1f - 4f * MathF.Exp(-1f)), new GaussianNllLogVarGradOperator(1f).Invoke(3f, 1f, 1f), 5);
        Assert.Equal(9f, new SquaredErrorOperator().Invoke(1f, -2f));
        Assert.Equal(6f, new SquaredErrorGradOperator(1f).Invoke(1f, -2f));
    }

    [Fact]
    public void BceWithLogitsIsFiniteForLargeLogits()
    {
        float[] x = [1e4f, -1e4f, 100f, -100f, 88f, -88f, 89f, -89f, 1e4f, -1e4f, 100f, -100f, 88f, -88f, 0f, 1e-4f, 1e4f, -1e4f];
        foreach (float t in new[] { 0f, 0.5f, 1f })
        {
            var target = Enumerable.Repeat(t, x.Length).ToArray();
            var loss = new float[x.Length];
            var grad = new float[x.Length];
            var tgrad = new float[x.Length];
            BinaryDriver.Apply(x, target, loss, op: new BceWithLogitsOperator());
            BinaryDriver.Apply(x, target, grad, op: new BceWithLogitsGradOperator(1f));
            UnaryDriver.Apply(x, tgrad, op: new BceWithLogitsTargetGradOperator(1f));
            for (int i = 0; i < x.Length; i++)
            {
                Assert.True(float.IsFinite(loss[i]) && loss[i] >= 0f, $"bce({x[i]}, {t}) = {loss[i]}");
                Assert.True(float.IsFinite(grad[i]) && MathF.Abs(grad[i]) <= 1f, $"bce'({x[i]}, {t}) = {grad[i]}");
                Assert.True(float.IsFinite(tgrad[i]), $"bce_t'({x[i]}, {t}) = {tgrad[i]}");
                double expected = Math.Max(x[i], 0) - x[i] * (double)t + ActivationKernelTests.Log1p(Math.Exp(-Math.Abs((double)x[i])));
                Assert.True(Math.Abs(loss[i] - expected) <= 1e-6 * Math.Abs(expected) + 1e-6, $"bce({x[i]}, {t}) = {loss[i]}, expected {expected}");
            }
        }
    }

    [Fact]
    public void GaussianNllIsFiniteForExtremeLogVariance()
    {
        float[] mean = [0f, 1f, 0f, 1f, 0.5f, 0.5f, 0f, 2f, 0f, 1f, 0.5f, 0.5f, 0f, 2f, 0f, 2f, 1f];
        float[] lv = [50f, 50f, -50f, -50f, -50f, 50f, -100f, 100f, 50f, 50f, -50f, -50f, -100f, -100f, 0f, 0f, -50f];
        float[] t = [0f, 0f, 0f, 0f, 0.5f, 0.5f, 0f, 0f, 0f, 0f, 0.5f, 0.5f, 0f, 0f, 0f, 0f, 1f];
        var loss = new float[mean.Length];
        var gm = new float[mean.Length];
        var glv = new float[mean.Length];
        TernaryDriver.Apply(mean, lv, t, loss, op: new GaussianNllOperator(true));
        TernaryDriver.Apply(mean, lv, t, gm, op: new GaussianNllMeanGradOperator(1f));
        TernaryDriver.Apply(mean, lv, t, glv, op: new GaussianNllLogVarGradOperator(1f));
        for (int i = 0; i < mean.Length; i++)
        {
            Assert.False(float.IsNaN(loss[i]) || float.IsNaN(gm[i]) || float.IsNaN(glv[i]), $"gaussian_nll at mean {mean[i]}, lv {lv[i]}, t {t[i]}");
            if (MathF.Abs(lv[i]) <= 50f)
                Assert.True(float.IsFinite(loss[i]) && float.IsFinite(gm[i]) && float.IsFinite(glv[i]), $"gaussian_nll at mean {mean[i]}, lv {lv[i]}");
        }
    }

    [Fact]
    public void SumReductionsMatchScalarReferences()
    {
        var g = new Generator(5);
        foreach (int n in new[] { 0, 1, 7, 1023, 1024, 1025, 5000 })
        {
            var x = Sample(g, n, -5f, 5f);
            var t = Sample(g, n, 0f, 1f);
            var lv = Sample(g, n, -2f, 2f);
            double s = ReduceDriver.Sum(x, t, new BceWithLogitsOperator());
            double r = ReduceDriver.ReferenceSum(x, t, new BceWithLogitsOperator());
            Assert.True(Math.Abs(s - r) <= 1e-5 * Math.Abs(r) + 1e-5, $"bce sum n={n}: {s} vs {r}");
            s = ReduceDriver.Sum(x, lv, t, new GaussianNllOperator(true));
            r = ReduceDriver.ReferenceSum(x, lv, t, new GaussianNllOperator(true));
            Assert.True(Math.Abs(s - r) <= 1e-5 * Math.Abs(r) + 1e-5, $"gaussian sum n={n}: {s} vs {r}");
        }
    }
}
