using Elbo.Engine.Nn;

namespace Elbo.Engine.Tests.Nn;

public class InitTests
{
    // Uniform(−b, b) has variance b²/3; with n samples the sample variance is within a few percent.
    private static void AssertUniformWithin(Tensor t, double bound)
    {
        var d = t.ToArray();
        Assert.All(d, v => Assert.InRange(Math.Abs(v), 0, bound));
        double mean = d.Average(v => (double)v);
        double variance = d.Average(v => (v - mean) * (v - mean));
        double expected = bound * bound / 3;
        Assert.InRange(mean, -0.05 * bound, 0.05 * bound);
        Assert.InRange(variance, 0.93 * expected, 1.07 * expected);
        Assert.True(d.Max() > 0.95 * bound && d.Min() < -0.95 * bound, "the samples should fill the interval");
    }

    [Fact]
    public void LinearWeightAndBiasAreUniformWithinOneOverRootFanIn()
    {
        var lin = new Linear(50, 80, new Generator(1));
        AssertUniformWithin(lin.Weight, 1 / Math.Sqrt(50));
        Assert.All(lin.Bias!.ToArray(), v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(50)));
    }

    [Fact]
    public void Conv2dFanInIsInChannelsTimesKernelArea()
    {
        var conv = new Conv2d(6, 40, 3, new Generator(2));
        Assert.Equal(new[] { 40, 6, 3, 3 }, conv.Weight.ShapeArray());
        Assert.Equal(54, Init.CalculateFanIn(conv.Weight));
        AssertUniformWithin(conv.Weight, 1 / Math.Sqrt(54));
        Assert.All(conv.Bias!.ToArray(), v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(54)));
    }

    [Fact]
    public void ConvTranspose2dFanInComesFromWeightDimensionOneAsPyTorch()
    {
        // weight (in 40, out 5, 4, 4) → fan_in = 5·16 = 80, not 40·16.
        var conv = new ConvTranspose2d(40, 5, 4, new Generator(3), stride: 2, padding: 1);
        Assert.Equal(new[] { 40, 5, 4, 4 }, conv.Weight.ShapeArray());
        Assert.Equal(80, Init.CalculateFanIn(conv.Weight));
        AssertUniformWithin(conv.Weight, 1 / Math.Sqrt(80));
        Assert.Equal(new[] { 5 }, conv.Bias!.ShapeArray());
        Assert.All(conv.Bias!.ToArray(), v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(80)));
    }

    [Fact]
    public void KaimingUniformBoundIsGainTimesRootThreeOverFanIn()
    {
        var t = Tensor.Zeros(100, 60);
        Init.KaimingUniform(t, 0, 60, new Generator(4)); // gain √2 → bound √(6/60)
        AssertUniformWithin(t, Math.Sqrt(6.0 / 60));
        Assert.Equal(Math.Sqrt(2.0), Init.LeakyReluGain(0), 12);
        Assert.Equal(Math.Sqrt(1.0 / 3.0), Init.LeakyReluGain(Math.Sqrt(5)), 12);
    }

    [Fact]
    public void TheSameSeedGivesTheSameInitialization()
    {
        var a = new Linear(7, 5, new Generator(9));
        var b = new Linear(7, 5, new Generator(9));
        var c = new Linear(7, 5, new Generator(10));
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        Assert.Equal(a.Bias!.ToArray(), b.Bias!.ToArray());
        Assert.NotEqual(a.Weight.ToArray(), c.Weight.ToArray());
    }

    [Fact]
    public void BatchNormStartsAsTheIdentityWithUnitRunningVariance()
    {
        var bn = new BatchNorm1d(4);
        Assert.Equal(new float[] { 1, 1, 1, 1 }, bn.Weight!.ToArray());
        Assert.Equal(new float[4], bn.Bias!.ToArray());
        Assert.Equal(new float[4], bn.RunningMean.ToArray());
        Assert.Equal(new float[] { 1, 1, 1, 1 }, bn.RunningVar.ToArray());
        Assert.Equal(0f, bn.NumBatchesTracked.Item());
        Assert.Equal(1e-5f, bn.Eps);
        Assert.Equal(0.1f, bn.Momentum);
    }

    [Fact]
    public void FanInOfAVectorIsAnError()
    {
        var ex = Assert.Throws<ArgumentException>(() => Init.CalculateFanIn(Tensor.Zeros(3)));
        Assert.StartsWith("calculate_fan_in", ex.Message);
    }

    [Fact]
    public void ConstantInitializersFillEveryElement()
    {
        var t = Tensor.Full(3f, 2, 2);
        Assert.Equal(new float[4], Init.Zeros(t).ToArray());
        Assert.Equal(new float[] { 1, 1, 1, 1 }, Init.Ones(t).ToArray());
    }
}
