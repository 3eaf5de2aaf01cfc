using Elbo.Engine.Autograd;
using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Autograd;

public class BackpropTests
{
    [Fact]
    public void GradientsAccumulateAcrossBackwardCallsUntilZeroGrad()
    {
        var x = Tensor.FromArray([1f, 2f]);
        x.RequiresGrad = true;
        (x * 3f).Sum().Backward();
        (x * 3f).Sum().Backward();
        Assert.Equal(new float[] { 6, 6 }, x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Null(x.Grad);
        (x * 2f).Sum().Backward();
        Assert.Equal(new float[] { 2, 2 }, x.Grad!.ToArray());
    }

    [Fact]
    public void ATensorUsedTwiceGetsBothContributions()
    {
        var g = new Generator(9);
        var x = GradCheck.Param(g, 4);
        GradCheck.Check(t => (t[0] * t[0] + t[0]) * t[0], [x]);
    }

    [Fact]
    public void NoGradRecordsNothing()
    {
        var x = Tensor.Ones(3);
        x.RequiresGrad = true;
        Tensor y;
        using (GradMode.NoGrad()) y = (x * 2f).Sum();
        Assert.False(y.RequiresGrad);
        Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public void BackwardOfNonScalarNeedsAGradient()
    {
        var x = Tensor.Ones(3);
        x.RequiresGrad = true;
        var y = x * 2f;
        Assert.Throws<InvalidOperationException>(() => y.Backward());
        y.Backward(Tensor.FromArray([1f, 0f, 2f]));
        Assert.Equal(new float[] { 2, 0, 4 }, x.Grad!.ToArray());
    }

    [Fact]
    public void DeepChainsDoNotOverflowTheStack()
    {
        var x = Tensor.Ones(1);
        x.RequiresGrad = true;
        var y = x;
        for (int i = 0; i < 100_000; i++) y = y + 0f;
        y.Sum().Backward();
        Assert.Equal(1f, x.Grad!.Item());
    }

    [Fact]
    public void ArenaStepsReuseTensorsAndGiveTheSameResults()
    {
        var g = new Generator(10);
        var w = GradCheck.Param(g, 4, 3);
        var x = Tensor.Randn(g, 5, 3);
        var arena = new TensorArena();
        float[]? first = null;
        for (int step = 0; step < 3; step++)
        {
            w.ZeroGrad();
            using (arena.Step())
            {
                var loss = (x.MatMul(w, false, true) * 2f).Sum();
                loss.Backward();
            }
            var grad = w.Grad!.ToArray();
            first ??= grad;
            Assert.Equal(first, grad);
        }
        int slots = arena.Count;
        using (arena.Step()) (x.MatMul(w, false, true) * 2f).Sum().Backward();
        Assert.Equal(slots, arena.Count);
    }
}
