using Elbo.Engine.Optim;
using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Optim;

public class GradClipTests
{
    private static Tensor WithGrad(float[] grad)
    {
        var p = Tensor.Zeros(grad.Length);
        p.RequiresGrad = true;
        p.Grad = Tensor.FromArray(grad);
        return p;
    }

    [Fact]
    public void GradientsAboveTheMaxNormAreScaledToIt()
    {
        var a = WithGrad([3f, 4f]);
        var b = WithGrad([12f]);
        double norm = GradClip.ClipGradNorm([a, b], 6.5f);
        Assert.Equal(13.0, norm, 12);
        double c = 6.5 / (13 + 1e-6);
        Assert.Equal(new[] { (float)(3 * c), (float)(4 * c) }, a.Grad!.ToArray());
        Assert.Equal((float)(12 * c), b.Grad!.Item());
    }

    [Fact]
    public void GradientsBelowTheMaxNormAreUnchanged()
    {
        var a = WithGrad([3f, 4f]);
        Assert.Equal(5.0, GradClip.ClipGradNorm([a], 10f), 12);
        Assert.Equal(new[] { 3f, 4f }, a.Grad!.ToArray());
    }

    [Fact]
    public void ParametersWithoutGradientAreSkipped()
    {
        var a = WithGrad([3f, 4f]);
        var none = Tensor.Zeros(2);
        Assert.Equal(5.0, GradClip.ClipGradNorm([a, none], 1f), 12);
        Assert.Null(none.Grad);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(1000)]
    public void TheNormIsAccumulatedInDoubleAtEveryLength(int n)
    {
        var p = WithGrad(Tensor.Randn(new Generator(1), n).ToArray());
        double expected = Math.Sqrt(p.Grad!.ToArray().Sum(v => (double)v * v));
        Assert.Equal(expected, GradClip.ClipGradNorm([p], float.MaxValue), 10);
    }

    [Fact]
    public void ClippingAllocatesNothing()
    {
        IReadOnlyList<Tensor> ps = [WithGrad(Tensor.Randn(new Generator(2), 40).ToArray())];
        Assert.Equal(0, Allocations.Measure(() => GradClip.ClipGradNorm(ps, 0.5f)));
    }
}
