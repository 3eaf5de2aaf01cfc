using Elbo.Evaluation;

namespace Elbo.Tests.Evaluation;

public class NormalDistributionTests
{
    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.1, -1.2815515655446004)]
    [InlineData(0.001, -3.090232306167813)]
    [InlineData(0.8413447460685429, 1.0)]
    [InlineData(2.866515718791939e-7, -5.0)]
    [InlineData(7.619853024160527e-24, -10.0)]
    public void QuantileMatchesKnownValues(double p, double z)
    {
        Assert.Equal(z, NormalDistribution.Quantile(p), 1e-12 * Math.Max(1, Math.Abs(z)));
    }

    [Fact]
    public void QuantileOfPointNineSevenFiveIsOnePointNineSix()
    {
        Assert.Equal(1.959963985, NormalDistribution.Quantile(0.975), 9);
    }

    [Theory]
    [InlineData(1e-9)]
    [InlineData(1e-4)]
    [InlineData(0.02425)]
    [InlineData(0.3)]
    [InlineData(0.45)]
    public void QuantileIsAntisymmetric(double p)
    {
        // 1 − p rounds; compare with the lower tail of exactly the probability 1 − (1 − p) it leaves.
        double upper = 1 - p, lower = 1 - upper;
        Assert.Equal(-NormalDistribution.Quantile(lower), NormalDistribution.Quantile(upper), 1e-12);
    }

    [Fact]
    public void TailQuantileOfOneInABillion()
    {
        // Φ⁻¹(1e-9) = −5.997807015007686 (R: qnorm(1e-9)).
        Assert.Equal(-5.997807015007686, NormalDistribution.Quantile(1e-9), 1e-9);
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(-1.0, 0.15865525393145707)]
    [InlineData(1.959963984540054, 0.975)]
    [InlineData(-3.5, 2.326290790355250e-4)]
    [InlineData(-5.0, 2.866515718791939e-7)]
    [InlineData(-10.0, 7.619853024160527e-24)]
    [InlineData(4.0, 0.9999683287581669)]
    public void CdfMatchesKnownValues(double x, double p)
    {
        Assert.Equal(p, NormalDistribution.Cdf(x), p * 1e-12);
    }

    [Fact]
    public void CdfOfQuantileGivesBackTheProbability()
    {
        for (int k = -300; k <= -1; k++)
        {
            double p = Math.Pow(10, k / 20.0);
            Assert.Equal(p, NormalDistribution.Cdf(NormalDistribution.Quantile(p)), p * 1e-12);
        }
        for (int i = 1; i < 1000; i++)
        {
            double p = i / 1000.0;
            Assert.Equal(p, NormalDistribution.Cdf(NormalDistribution.Quantile(p)), 1e-14);
        }
    }

    [Fact]
    public void EndpointsAreInfiniteAndOutsideIsRefused()
    {
        Assert.Equal(double.NegativeInfinity, NormalDistribution.Quantile(0));
        Assert.Equal(double.PositiveInfinity, NormalDistribution.Quantile(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NormalDistribution.Quantile(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NormalDistribution.Quantile(double.NaN));
    }
}
