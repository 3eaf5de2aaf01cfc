using Elbo.Distributions;
using Elbo.Evaluation;
using Elbo.Objectives;

namespace Elbo.Tests.Distributions;

public class PosteriorTests
{
    private static double NormalLogDensity(double z, double mu, double logVar) =>
        -0.5 * (Math.Log(2 * Math.PI) + logVar + (z - mu) * (z - mu) / Math.Exp(logVar));

    [Fact]
    public void GaussianLogProbIsTheSumOfTheDimensionsDensities()
    {
        var mu = Tensor.FromArray([0.5f, -1f, 2f, 0f], 2, 2);
        var logVar = Tensor.FromArray([0f, -0.5f, 1f, 0.3f], 2, 2);
        var q = new DiagonalGaussianPosterior(mu, logVar);
        var z = Tensor.FromArray([0.1f, 0.2f, 1.5f, -0.7f], 2, 2);
        var logProb = q.LogProb(z).ToArray();
        for (int i = 0; i < 2; i++)
        {
            double expected = 0;
            for (int u = 0; u < 2; u++) expected += NormalLogDensity(z.Data[2 * i + u], mu.Data[2 * i + u], logVar.Data[2 * i + u]);
            Assert.Equal(expected, logProb[i], 5);
        }
        var prior = Posterior.LogPrior(z).ToArray();
        Assert.Equal(NormalLogDensity(0.1, 0, 0) + NormalLogDensity(0.2, 0, 0), prior[0], 5);
    }

    [Fact]
    public void KSamplesPerExampleBroadcastOverTheLatentRow()
    {
        var mu = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var logVar = Tensor.FromArray([0f, 0f, 2f, 2f], 2, 2);
        var q = new DiagonalGaussianPosterior(mu, logVar);
        var eps = Tensor.Randn(new Generator(3), 2, 3, 2);
        var z = q.Rsample(eps);
        Assert.Equal(new[] { 2, 3, 2 }, z.ShapeArray());
        for (int s = 0; s < 3; s++)
        {
            Assert.Equal(1f + eps[0, s, 0], z[0, s, 0], 5);
            Assert.Equal(4f + MathF.E * eps[1, s, 1], z[1, s, 1], 4);
        }
        var logProb = q.LogProb(z);
        Assert.Equal(new[] { 2, 3 }, logProb.ShapeArray());
        double expected = NormalLogDensity(z[1, 2, 0], 3, 2) + NormalLogDensity(z[1, 2, 1], 4, 2);
        Assert.Equal(expected, logProb[1, 2], 4);
    }

    [Fact]
    public void ClosedAndMonteCarloKlAgreeOnAverage()
    {
        const int n = 100_000;
        var q = new DiagonalGaussianPosterior(Tensor.Full(0.7f, n, 1), Tensor.Full(-0.6f, n, 1));
        var eps = Tensor.Randn(new Generator(11), n, 1);
        var z = q.Rsample(eps);
        double closed = q.KlPerDimension(KlEstimator.Closed, z, eps).ToArray().Average(v => (double)v);
        double mc = q.KlPerDimension(KlEstimator.MonteCarlo, z, eps).ToArray().Average(v => (double)v);
        Assert.Equal(0.5 * (0.49 + Math.Exp(-0.6) + 0.6 - 1), closed, 5);
        Assert.InRange(mc, closed - 0.01, closed + 0.01);
    }

    [Fact]
    public void APointMassSamplesItsCodeAndHasNoDensity()
    {
        var code = Tensor.FromArray([1f, 2f], 1, 2);
        var q = new PointMassPosterior(code);
        Assert.Same(code, q.Rsample(Tensor.Randn(new Generator(1), 1, 2)));
        Assert.False(q.Family.HasDensity);
        var e = Assert.Throws<InvalidOperationException>(() => q.KlPerDimension(KlEstimator.Closed, code, code));
        Assert.Contains("point mass", e.Message);
        Assert.Throws<InvalidOperationException>(() => q.LogProb(code));
    }

    [Fact]
    public void TheGaussianFamilysDrawMatchesItsTensorPosterior()
    {
        var mu = new[] { 0.3f, -1.2f };
        var logVar = new[] { -0.4f, 0.8f };
        var codes = LatentCodes.Gaussian(mu, logVar, [0], 2);
        var eps = new[] { 0.5f, -1.5f };
        var z = new float[2];
        double logRatio = codes.Family.Draw(codes, 0, eps, z);
        var q = new DiagonalGaussianPosterior(Tensor.FromArray(mu, 1, 2), Tensor.FromArray(logVar, 1, 2));
        var zt = q.Rsample(Tensor.FromArray(eps, 1, 2));
        Assert.Equal(zt.ToArray(), z);
        Assert.Equal(Posterior.LogPrior(zt).Item() - q.LogProb(zt).Item(), logRatio, 4);
        Assert.Equal(q.KlPerDimension(KlEstimator.Closed, zt, zt).ToArray().Select(v => (double)v), codes.KlPerDimension(), new Tolerance(1e-6));
    }

    private sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps;
        public int GetHashCode(double v) => 0;
    }
}
