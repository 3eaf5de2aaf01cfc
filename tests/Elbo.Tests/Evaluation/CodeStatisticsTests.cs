using Elbo.Evaluation;

namespace Elbo.Tests.Evaluation;

public class CodeStatisticsTests
{
    private static LatentCodes Codes(int n, int l, double shift, double scale, bool withVariance, ulong seed)
    {
        var g = new Generator(seed);
        var mu = new float[n * l];
        for (int i = 0; i < mu.Length; i++) mu[i] = (float)(shift + scale * g.NextNormal());
        float[]? logVar = withVariance ? Enumerable.Repeat(0f, n * l).ToArray() : null;
        return logVar is null ? LatentCodes.PointMass(mu, new int[n], l) : LatentCodes.Gaussian(mu, logVar, new int[n], l);
    }

    [Theory]
    [InlineData(1, 6.634896601)]
    [InlineData(2, 9.210340372)]
    [InlineData(10, 23.20925116)]
    [InlineData(20, 37.56623479)]
    public void ChiSquareQuantileMatchesTables(int degrees, double expected) =>
        Assert.Equal(expected, CodeStatistics.ChiSquareQuantile99(degrees), expected * 0.005);

    [Fact]
    public void CodesDrawnFromThePriorMatchIt()
    {
        var s = CodeStatistics.From(Codes(20000, 4, 0, 1, withVariance: false, seed: 1));
        Assert.True(s.MeanNorm < 0.05, $"‖mean‖ {s.MeanNorm}");
        Assert.Equal(1, s.RmsStd, 0.03);
        Assert.True(s.KlOfGaussianFit < 0.01, $"KL {s.KlOfGaussianFit}");
        Assert.Equal(0.99, s.InsidePrior99, 0.01);
    }

    [Fact]
    public void AggregatePosteriorAddsTheEncoderVariance()
    {
        // μ spread 0.6 with σ² = 1 everywhere: the aggregate variance is 0.36 + 1.
        var s = CodeStatistics.From(Codes(20000, 3, 0, 0.6, withVariance: true, seed: 2));
        Assert.Equal(Math.Sqrt(1.36), s.RmsStd, 0.02);
    }

    [Fact]
    public void ShiftedNarrowCodesAreFarFromThePrior()
    {
        var s = CodeStatistics.From(Codes(5000, 4, 3, 0.1, withVariance: false, seed: 3));
        Assert.Equal(6, s.MeanNorm, 0.05);      // ‖(3,3,3,3)‖
        Assert.Equal(0.1, s.RmsStd, 0.01);
        Assert.True(s.KlOfGaussianFit > 20, $"KL {s.KlOfGaussianFit}");
        Assert.Equal(0, s.InsidePrior99);       // ‖z‖² ≈ 36 > 13.28
    }
}
