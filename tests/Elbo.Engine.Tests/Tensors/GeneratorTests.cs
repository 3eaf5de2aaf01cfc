namespace Elbo.Engine.Tests.Tensors;

public class GeneratorTests
{
    [Fact]
    public void SameSeedGivesSameSequence()
    {
        var a = Tensor.Randn(new Generator(42), 100);
        var b = Tensor.Randn(new Generator(42), 100);
        var c = Tensor.Randn(new Generator(43), 100);
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.NotEqual(a.ToArray(), c.ToArray());
    }

    [Fact]
    public void NormalSamplesHaveUnitMomentsAndUniformStaysInRange()
    {
        var g = new Generator(1);
        var n = Tensor.Randn(g, 200_000).ToArray();
        double mean = n.Average(v => (double)v);
        double var = n.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(var, 0.98, 1.02);
        var u = Tensor.Uniform(g, -2f, 3f, 10_000).ToArray();
        Assert.All(u, v => Assert.InRange(v, -2f, 3f));
    }

    [Fact]
    public void StateRoundTripsThroughGetAndSet()
    {
        var g = new Generator(5);
        g.NextNormal();
        var state = g.GetState();
        var a = g.NextNormal();
        var h = new Generator(0);
        h.SetState(state);
        Assert.Equal(a, h.NextNormal());
    }
}
