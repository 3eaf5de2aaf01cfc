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

    [Fact]
    public void FilledNormalsHaveGaussianTailsAndUncorrelatedHalves()
    {
        var z = Tensor.Randn(new Generator(9), 320_000).ToArray();
        double beyond2 = z.Count(v => Math.Abs(v) > 2) / (double)z.Length;
        Assert.InRange(beyond2, 0.0455 - 0.002, 0.0455 + 0.002);    // P(|z| > 2) = 4.55 %
        double kurtosis = z.Average(v => Math.Pow(v, 4));
        Assert.InRange(kurtosis, 2.9, 3.1);
        // Each block of 32 holds 16 r·cos θ then 16 r·sin θ of the same pairs: they must be uncorrelated.
        double cross = 0;
        for (int b = 0; b < z.Length; b += 32)
            for (int j = 0; j < 16; j++) cross += z[b + j] * z[b + 16 + j];
        Assert.InRange(cross / (z.Length / 2), -0.01, 0.01);
        Assert.All(z, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void EveryLengthIsFilledAndReproducible()
    {
        for (int n = 0; n <= 70; n++)
        {
            var a = new float[n];
            var b = new float[n];
            new Generator(3).FillNormal(a);
            new Generator(3).FillNormal(b);
            Assert.Equal(a, b);
            Assert.All(a, v => Assert.True(float.IsFinite(v) && v != 0f));
        }
    }
}
