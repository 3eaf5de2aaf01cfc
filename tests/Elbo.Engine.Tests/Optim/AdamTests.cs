using Elbo.Engine.Optim;
using Elbo.Engine.Tests.Support;
using static Elbo.Engine.Tests.Optim.OptimReference;

namespace Elbo.Engine.Tests.Optim;

public class AdamTests
{
    [Fact]
    public void FirstAdamStepMovesEachWeightByLrAgainstTheGradientSign()
    {
        // t = 1: m̂ = g, v̂ = g², so the step is lr·g/(|g| + eps) ≈ lr·sign(g).
        var p = Tensor.FromArray([1f, -2f, 0.5f]);
        p.RequiresGrad = true;
        var adam = new Adam([p], lr: 0.1);
        p.Grad = Tensor.FromArray([0.3f, -4f, 1e-3f]);
        adam.Step();
        AssertClose([0.9, -1.9, 0.4], p.ToArray(), rtol: 0, atol: 1e-5);
    }

    [Fact]
    public void SubnormalMomentsAreFlushedWithoutMovingTheWeights()
    {
        // One gradient, then zeros (a weight fed by an always-black pixel): β₁ᵗ takes the first moment into the
        // subnormal range after ≈ 800 steps, where the kernel sets it to zero. The weights must end exactly where a
        // plain float32 Adam without the flush puts them. 37 weights exercise the vector paths and the scalar tail.
        const int n = 37, steps = 1000;
        var p = Tensor.Zeros(n);
        var reference = new float[n];
        for (int i = 0; i < n; i++) reference[i] = p.Data[i] = 0.05f * (i - 18);
        p.RequiresGrad = true;
        var adam = new Adam([p], lr: 1e-3);
        float[] m = new float[n], v = new float[n];
        for (int t = 1; t <= steps; t++)
        {
            var g = new float[n];
            if (t == 1) for (int i = 0; i < n; i++) g[i] = 0.01f * (i + 1);
            p.Grad = Tensor.FromArray(g);
            adam.Step();
            float bc1 = (float)(1 - Math.Pow(0.9, t)), bc2 = (float)Math.Sqrt(1 - Math.Pow(0.999, t));
            for (int i = 0; i < n; i++)
            {
                m[i] += 0.1f * (g[i] - m[i]);
                v[i] = v[i] * 0.999f + 0.001f * g[i] * g[i];
                reference[i] += (float)(-(1e-3 / (1 - Math.Pow(0.9, t)))) * m[i] / (MathF.Sqrt(v[i]) / bc2 + 1e-8f);
            }
        }
        Assert.True(m[0] != 0 && Math.Abs(m[0]) < 1.17549435e-38f, "the reference's moment should be subnormal by now");
        Assert.All(adam.StateDict()["state.0.exp_avg"].ToArray(), x => Assert.Equal(0f, x));
        Assert.Equal(reference, p.ToArray());
    }

    [Fact]
    public void AdamMatchesTheFormulasOverSeveralSteps()
    {
        var p = Tensor.FromArray([1f, -2f, 0.5f]);
        double[][] grads = [[0.1, -0.2, 0.3], [0.4, 0.1, -0.5], [-0.3, 0.2, 0.05]];
        var expected = Adam(ToDouble(p), grads, lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, decoupled: false);
        AssertClose(expected, Run(p, new Adam([p], lr: 0.01), grads));
    }

    [Fact]
    public void AdamWeightDecayAddsAnL2TermToTheGradient()
    {
        var p = Tensor.FromArray([1f, -2f, 0.5f]);
        double[][] grads = [[0.1, -0.2, 0.3], [0.4, 0.1, -0.5]];
        var expected = Adam(ToDouble(p), grads, lr: 0.05, b1: 0.8, b2: 0.99, eps: 1e-6, wd: 0.3, decoupled: false);
        AssertClose(expected, Run(p, new Adam([p], lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.3), grads));
    }

    [Fact]
    public void AdamWDecaysTheWeightsBeforeTheAdamUpdate()
    {
        var p = Tensor.FromArray([1f, -2f, 0.5f]);
        double[][] grads = [[0.1, -0.2, 0.3], [0.4, 0.1, -0.5], [0.0, 0.0, 0.0]];
        var expected = Adam(ToDouble(p), grads, lr: 0.05, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.5, decoupled: true);
        var actual = Run(p, new AdamW([p], lr: 0.05, weightDecay: 0.5), grads);
        AssertClose(expected, actual);
        // Differs from Adam's L2 form.
        var q = Tensor.FromArray([1f, -2f, 0.5f]);
        Assert.NotEqual(actual, Run(q, new Adam([q], lr: 0.05, weightDecay: 0.5), grads));
    }

    [Fact]
    public void AdamWDefaultWeightDecayIsOneHundredth()
    {
        var p = Tensor.Zeros(1);
        Assert.Equal(1e-2, new AdamW([p]).WeightDecay);
        Assert.Equal(0, new Adam([p]).WeightDecay);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(100)]
    public void VectorAndTailPathsMatchTheFormulasAtEveryLength(int n)
    {
        var p = Tensor.Randn(new Generator(1), n);
        var grads = RandomGrads(4, n, 2);
        var expected = Adam(ToDouble(p), grads, lr: 0.02, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.1, decoupled: true);
        AssertClose(expected, Run(p, new AdamW([p], lr: 0.02, weightDecay: 0.1), grads));
    }

    [Fact]
    public void ParametersWithoutGradientAreSkippedAndKeepTheirOwnStepCount()
    {
        var a = Tensor.FromArray([1f]);
        var b = Tensor.FromArray([1f]);
        var adam = new Adam([a, b], lr: 0.1);
        a.Grad = Tensor.FromArray([0.5f]);
        adam.Step();
        Assert.Equal(1f, b.Item());
        Assert.DoesNotContain("state.1.step", adam.StateDict().Keys);

        b.Grad = Tensor.FromArray([0.5f]);
        adam.Step();
        // b's first update: bias correction with t = 1, so a full lr step.
        AssertClose([0.9], b.ToArray(), rtol: 0, atol: 1e-6);
        Assert.Equal(2f, adam.StateDict()["state.0.step"].Item());
        Assert.Equal(1f, adam.StateDict()["state.1.step"].Item());
    }

    [Fact]
    public void StepAllocatesNothingAfterTheFirstUpdate()
    {
        var g = new Generator(3);
        var ps = new[] { Tensor.Randn(g, 37), Tensor.Randn(g, 4, 5) };
        foreach (var p in ps) p.Grad = Tensor.Randn(g, p.ShapeArray());
        var adam = new Adam(ps, lr: 1e-3, weightDecay: 0.1);
        var adamw = new AdamW(ps);
        Assert.Equal(0, Allocations.Measure(adam.Step));
        Assert.Equal(0, Allocations.Measure(adamw.Step));
        Assert.Equal(0, Allocations.Measure(adam.ZeroGrad));
    }

    [Fact]
    public void InvalidHyperparametersAreRejected()
    {
        var p = Tensor.Zeros(1);
        Assert.Throws<ArgumentException>(() => new Adam([p], lr: -1));
        Assert.Throws<ArgumentException>(() => new Adam([p], beta1: 1.0));
        Assert.Throws<ArgumentException>(() => new Adam([p], beta2: -0.1));
        Assert.Throws<ArgumentException>(() => new Adam([p, p]));
    }
}
