using Elbo.Engine.Nn;
using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Autograd;

public class LossGradTests
{
    public static TheoryData<Reduction> Reductions => new() { Reduction.None, Reduction.Mean, Reduction.Sum };

    [Theory]
    [MemberData(nameof(Reductions))]
    public void BceWithLogitsGradientsReachLogitsAndTarget(Reduction reduction)
    {
        var g = new Generator(31);
        var x = GradCheck.Param(g, 3, 4);
        var t = GradCheck.Param(g, 0f, 1f, 3, 4);
        GradCheck.Check(a => Functional.BinaryCrossEntropyWithLogits(a[0], a[1], reduction), [x, t]);
        var fixedTarget = Tensor.Uniform(g, 0f, 1f, 3, 4);
        GradCheck.Check(a => Functional.BinaryCrossEntropyWithLogits(a[0], fixedTarget, reduction), [x]);
        Assert.Null(fixedTarget.Grad);
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void MseGradientsReachInputAndTarget(Reduction reduction)
    {
        var g = new Generator(32);
        var x = GradCheck.Param(g, 2, 5);
        var t = GradCheck.Param(g, 2, 5);
        GradCheck.Check(a => Functional.MseLoss(a[0], a[1], reduction), [x, t]);
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void GaussianNllGradientsReachMeanLogVarAndTarget(Reduction reduction)
    {
        var g = new Generator(33);
        var mu = GradCheck.Param(g, 2, 3, 2);
        var lv = GradCheck.Param(g, -1f, 1f, 2, 3, 2);
        var t = GradCheck.Param(g, 2, 3, 2);
        GradCheck.Check(a => Functional.GaussianNllLoss(a[0], a[1], a[2], reduction), [mu, lv, t]);
        GradCheck.Check(a => Functional.GaussianNllLoss(a[0], a[1], a[2], reduction, full: false), [mu, lv, t]);
    }

    [Fact]
    public void LossValuesMatchTheirFormulasForEachReduction()
    {
        var x = Tensor.FromArray([-1f, 0f, 2f, 0.5f], 2, 2);
        var t = Tensor.FromArray([0f, 1f, 1f, 0.25f], 2, 2);
        var lv = Tensor.FromArray([0f, -1f, 1f, 0.5f], 2, 2);
        double[] bce = new double[4], se = new double[4], nll = new double[4], nllPartial = new double[4];
        for (int i = 0; i < 4; i++)
        {
            double xi = x.Data[i], ti = t.Data[i], li = lv.Data[i];
            bce[i] = -(ti * Math.Log(1 / (1 + Math.Exp(-xi))) + (1 - ti) * Math.Log(1 - 1 / (1 + Math.Exp(-xi))));
            se[i] = (xi - ti) * (xi - ti);
            nllPartial[i] = 0.5 * (li + (ti - xi) * (ti - xi) * Math.Exp(-li));
            nll[i] = nllPartial[i] + 0.5 * Math.Log(2 * Math.PI);
        }
        void Check(double[] expected, Func<Reduction, Tensor> loss)
        {
            var none = loss(Reduction.None);
            Assert.Equal(new[] { 2, 2 }, none.ShapeArray());
            for (int i = 0; i < 4; i++) Assert.Equal(expected[i], none.Data[i], 5);
            Assert.Equal(0, loss(Reduction.Sum).Rank);
            Assert.Equal(expected.Sum(), loss(Reduction.Sum).Item(), 5);
            Assert.Equal(expected.Average(), loss(Reduction.Mean).Item(), 5);
        }
        Check(bce, r => Functional.BinaryCrossEntropyWithLogits(x, t, r));
        Check(se, r => Functional.MseLoss(x, t, r));
        Check(nll, r => Functional.GaussianNllLoss(x, lv, t, r));
        Check(nllPartial, r => Functional.GaussianNllLoss(x, lv, t, r, full: false));
    }

    [Fact]
    public void LossesNeverGiveNaNForExtremeFiniteInputs()
    {
        var logits = Tensor.FromArray([1e4f, -1e4f, 1e4f, -1e4f, 88f, -88f, 100f, -100f], 2, 4);
        var target = Tensor.FromArray([1f, 0f, 0f, 1f, 0.5f, 0.5f, 0f, 1f], 2, 4);
        logits.RequiresGrad = true;
        target.RequiresGrad = true;
        foreach (var reduction in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
        {
            logits.ZeroGrad();
            target.ZeroGrad();
            var loss = Functional.BinaryCrossEntropyWithLogits(logits, target, reduction);
            loss.Sum().Backward();
            AllFinite(loss);
            AllFinite(logits.Grad!);
            AllFinite(target.Grad!);
        }
        var bce = Functional.BinaryCrossEntropyWithLogits(logits, target, Reduction.None).Data;
        Assert.Equal(0f, bce[0]);
        Assert.Equal(1e4f, bce[2]);

        var mu = Tensor.FromArray([0f, 1f, 0f, 1f, 0f, 3f], 3, 2);
        var lv = Tensor.FromArray([50f, 50f, -50f, -50f, 0f, -50f], 3, 2);
        var t = Tensor.FromArray([0f, 0f, 0f, 1.5f, 0f, 3f], 3, 2);
        mu.RequiresGrad = lv.RequiresGrad = t.RequiresGrad = true;
        foreach (var reduction in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
        {
            mu.ZeroGrad();
            lv.ZeroGrad();
            t.ZeroGrad();
            var loss = Functional.GaussianNllLoss(mu, lv, t, reduction);
            loss.Sum().Backward();
            AllFinite(loss);
            AllFinite(mu.Grad!);
            AllFinite(lv.Grad!);
            AllFinite(t.Grad!);
        }
    }

    private static void AllFinite(Tensor t)
    {
        foreach (float v in t.ToArray()) Assert.True(float.IsFinite(v), $"{t}: {v}");
    }

    [Fact]
    public void ShapeMismatchThrowsNamingTheOpAndBothShapes()
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(3, 2);
        var e = Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropyWithLogits(a, b));
        Assert.StartsWith("binary_cross_entropy_with_logits", e.Message);
        Assert.Contains("(2,3)", e.Message);
        Assert.Contains("(3,2)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.MseLoss(a, Tensor.Zeros(6)));
        Assert.StartsWith("mse_loss", e.Message);
        Assert.Contains("(6,)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.GaussianNllLoss(a, a, b));
        Assert.StartsWith("gaussian_nll_loss", e.Message);
        Assert.Contains("(3,2)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.GaussianNllLoss(a, b, a));
        Assert.Contains("logVar", e.Message);
    }
}
