using Elbo.Engine.Nn;
using Elbo.Engine.Tests.Kernels;
using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Autograd;

public class ContinuousBernoulliGradTests
{
    public static TheoryData<Reduction> Reductions => new() { Reduction.None, Reduction.Mean, Reduction.Sum };

    [Theory]
    [MemberData(nameof(Reductions))]
    public void GradientsReachLogitsAndTarget(Reduction reduction)
    {
        var g = new Generator(41);
        var x = GradCheck.Param(g, 3, 4);
        var t = GradCheck.Param(g, 0f, 1f, 3, 4);
        GradCheck.Check(a => Functional.ContinuousBernoulliWithLogits(a[0], a[1], reduction), [x, t]);
        var fixedTarget = Tensor.Uniform(g, 0f, 1f, 3, 4);
        GradCheck.Check(a => Functional.ContinuousBernoulliWithLogits(a[0], fixedTarget, reduction), [x]);
        Assert.Null(fixedTarget.Grad);
    }

    // ℓ near 0, either side of the series bound (4), and large: the analytic gradients of the engine's loss against
    // central differences of the double reference NLL (h = 1e-5 in double: error ~1e-10).
    public static TheoryData<float> SpecialLogits => new()
    {
        0f, 1e-6f, -1e-6f, 1e-3f, -0.02f, 0.5f, -1f, 3.9f, 3.999f, 4f, 4.001f, -3.999f, -4f, -4.001f, 4.2f, -7f, 30f, -30f, 80f, -80f,
    };

    [Theory]
    [MemberData(nameof(SpecialLogits))]
    public void GradientsMatchCentralDifferencesOfTheDoubleReference(float logit)
    {
        float[] targets = [0f, 0.2f, 0.5f, 0.9f, 1f];
        var x = Tensor.FromArray(Enumerable.Repeat(logit, targets.Length).ToArray(), targets.Length);
        var t = Tensor.FromArray(targets, targets.Length);
        x.RequiresGrad = t.RequiresGrad = true;
        Functional.ContinuousBernoulliWithLogits(x, t, Reduction.Sum).Backward();
        const double h = 1e-5;
        for (int i = 0; i < targets.Length; i++)
        {
            double l = logit, tv = targets[i];
            double dl = (ContinuousBernoulliReference.Nll(l + h, tv) - ContinuousBernoulliReference.Nll(l - h, tv)) / (2 * h);
            double dt = (ContinuousBernoulliReference.Nll(l, tv + h) - ContinuousBernoulliReference.Nll(l, tv - h)) / (2 * h);
            Assert.True(Math.Abs(x.Grad!.Data[i] - dl) <= 1e-6 + 1e-6 * Math.Abs(dl), $"d/dℓ at ({logit}, {tv}): {x.Grad!.Data[i]:G9} vs {dl:G12}");
            Assert.True(Math.Abs(t.Grad!.Data[i] - dt) <= 1e-6 + 1e-6 * Math.Abs(dt), $"d/dx at ({logit}, {tv}): {t.Grad!.Data[i]:G9} vs {dt:G12}");
        }
    }

    [Fact]
    public void LossValuesMatchTheReferenceForEachReduction()
    {
        var x = Tensor.FromArray([-1f, 0f, 2f, 0.5f, -30f, 9f], 2, 3);
        var t = Tensor.FromArray([0f, 1f, 1f, 0.25f, 0.5f, 0.1f], 2, 3);
        var expected = new double[6];
        for (int i = 0; i < 6; i++) expected[i] = ContinuousBernoulliReference.Nll(x.Data[i], t.Data[i]);
        var none = Functional.ContinuousBernoulliWithLogits(x, t, Reduction.None);
        Assert.Equal(new[] { 2, 3 }, none.ShapeArray());
        for (int i = 0; i < 6; i++) Assert.Equal(expected[i], none.Data[i], 5);
        var sum = Functional.ContinuousBernoulliWithLogits(x, t, Reduction.Sum);
        Assert.Equal(0, sum.Rank);
        Assert.Equal(expected.Sum(), sum.Item(), 4);
        Assert.Equal(expected.Average(), Functional.ContinuousBernoulliWithLogits(x, t, Reduction.Mean).Item(), 5);
        Assert.Equal(expected.Average(), Functional.ContinuousBernoulliWithLogits(x, t).Item(), 5);
    }

    [Fact]
    public void NeverGivesNaNForExtremeFiniteInputs()
    {
        var logits = Tensor.FromArray([1e4f, -1e4f, 1e4f, -1e4f, 88f, -88f, 3e38f, -3e38f], 2, 4);
        var target = Tensor.FromArray([1f, 0f, 0f, 1f, 0.5f, 0.5f, 0f, 1f], 2, 4);
        logits.RequiresGrad = target.RequiresGrad = true;
        foreach (var reduction in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
        {
            logits.ZeroGrad();
            target.ZeroGrad();
            var loss = Functional.ContinuousBernoulliWithLogits(logits, target, reduction);
            loss.Sum().Backward();
            foreach (var tensor in new[] { loss, logits.Grad!, target.Grad! })
                foreach (float v in tensor.ToArray()) Assert.False(float.IsNaN(v), $"{tensor}: {v}");
        }
        var none = Functional.ContinuousBernoulliWithLogits(logits, target, Reduction.None).Data;
        // a perfectly confident, correct logit: −log(a/(1 − e^−a)) = −log 1e4
        Assert.Equal(-MathF.Log(1e4f), none[0], 4);
        Assert.Equal(1e4f - MathF.Log(1e4f), none[2], 1);
    }

    [Fact]
    public void ShapeMismatchAndBadReductionThrowLikeBce()
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(3, 2);
        var e = Assert.Throws<ArgumentException>(() => Functional.ContinuousBernoulliWithLogits(a, b));
        var bce = Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropyWithLogits(a, b));
        Assert.Equal(bce.Message.Replace("binary_cross_entropy_with_logits", "continuous_bernoulli_with_logits"), e.Message);
        Assert.StartsWith("continuous_bernoulli_with_logits", e.Message);
        Assert.Contains("(2,3)", e.Message);
        Assert.Contains("(3,2)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.ContinuousBernoulliWithLogits(a, Tensor.Zeros(6)));
        Assert.Contains("(6,)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.ContinuousBernoulliWithLogits(a, a, (Reduction)7));
        Assert.StartsWith("continuous_bernoulli_with_logits: unknown reduction 7", e.Message);
    }

    [Fact]
    public void MeanMatchesTheReferenceAndIsHalfAtZero()
    {
        float[] l = [0f, 1e-7f, -1e-3f, 0.5f, -2f, 3.999f, 4f, -4.001f, 12f, -30f, 80f, -80f, 1e4f, -1e4f];
        var mean = Functional.ContinuousBernoulliMean(Tensor.FromArray(l, 2, 7));
        Assert.Equal(new[] { 2, 7 }, mean.ShapeArray());
        Assert.Equal(0.5f, mean.Data[0]);
        for (int i = 0; i < l.Length; i++)
        {
            double r = ContinuousBernoulliReference.Mean(l[i]);
            Assert.True(Math.Abs(mean.Data[i] - r) <= 3e-7 * r, $"mean({l[i]}) = {mean.Data[i]:G9}, reference {r:G12}");
        }
    }

    [Fact]
    public void MeanGradientIsTheVariance()
    {
        var g = new Generator(43);
        var x = GradCheck.Param(g, -6f, 6f, 4, 5);
        GradCheck.Check(a => Functional.ContinuousBernoulliMean(a[0]), [x]);
        var y = Tensor.FromArray([0f, 1e-3f, -4f, 30f], 4);
        y.RequiresGrad = true;
        Functional.ContinuousBernoulliMean(y).Sum().Backward();
        for (int i = 0; i < 4; i++)
            Assert.True(Math.Abs(y.Grad!.Data[i] - ContinuousBernoulliReference.Variance(y.Data[i])) <= 1e-7, $"var({y.Data[i]})");
    }
}
