using Elbo.Objectives;

namespace Elbo.Tests.Objectives;

public class KlTests
{
    [Fact]
    public void ClosedFormMatchesTheGaussianKlFormula()
    {
        var mu = Tensor.FromArray([0f, 1f, -2f, 0.5f], 2, 2);
        var lv = Tensor.FromArray([0f, 0f, 1f, -1f], 2, 2);
        var kl = KlDivergence.ClosedForm(mu, lv).ToArray();
        for (int i = 0; i < 4; i++)
        {
            double m = mu.Data[i], v = lv.Data[i];
            Assert.Equal(0.5 * (m * m + Math.Exp(v) - v - 1), kl[i], 1e-6);
        }
        Assert.Equal(0f, kl[0], 1e-6); // q = p
    }

    [Fact]
    public void MonteCarloKlAveragesToTheClosedForm()
    {
        var g = new Generator(11);
        const int n = 200_000;
        var mu = Tensor.Full(0.7f, n, 1);
        var lv = Tensor.Full(-0.6f, n, 1);
        var eps = Tensor.Randn(g, n, 1);
        var z = new Elbo.Distributions.DiagonalGaussianPosterior(mu, lv).Rsample(eps);
        var mc = KlDivergence.MonteCarlo(z, eps, lv).ToArray();
        double mean = mc.Average(v => (double)v);
        double sd = Math.Sqrt(mc.Average(v => (v - mean) * (v - mean)));
        double exact = 0.5 * (0.49 + Math.Exp(-0.6) + 0.6 - 1);
        Assert.InRange(mean, exact - 4 * sd / Math.Sqrt(n), exact + 4 * sd / Math.Sqrt(n));
    }

    [Fact]
    public void FreeBitsFloorEachDimensionsBatchAveragedKl()
    {
        // two latent dims: dim 0 has KL 0 (q = p), dim 1 has KL 0.5·(4 + 1 − 0 − 1) = 2 nats
        var mu = Tensor.FromArray([0f, 2f, 0f, 2f], 2, 2);
        mu.RequiresGrad = true;
        var lv = Tensor.Zeros(2, 2);
        var recon = Tensor.Scalar(10f);
        var loss = new ElboObjective(KlEstimator.Closed, freeBits: 1f).Compute(recon, new Elbo.Distributions.DiagonalGaussianPosterior(mu, lv), mu, Tensor.Zeros(2, 2), klWeight: 1f);
        Assert.Equal(2f, loss.Kl, 5);                   // reported KL: the true KL per example
        Assert.Equal(5f + 1f + 2f, loss.Objective.Item(), 5); // recon/B + max(0, 1) + max(2, 1)
        loss.Objective.Backward();
        Assert.Equal(0f, mu.Grad![0, 0]);              // below the floor: no pull towards the prior
        Assert.Equal(1f, mu.Grad![0, 1], 5);           // d/dμ of mean_b ½μ² = μ/B = 1
    }

    [Fact]
    public void KlWeightScalesOnlyTheObjective()
    {
        var mu = Tensor.FromArray([1f, 1f], 1, 2);
        var lv = Tensor.Zeros(1, 2);
        var recon = Tensor.Scalar(3f);
        var objective = new ElboObjective();
        var full = objective.Compute(recon, new Elbo.Distributions.DiagonalGaussianPosterior(mu, lv), mu, Tensor.Zeros(1, 2), 1f);
        var off = objective.Compute(recon, new Elbo.Distributions.DiagonalGaussianPosterior(mu, lv), mu, Tensor.Zeros(1, 2), 0f);
        Assert.Equal(4f, full.Objective.Item(), 5);
        Assert.Equal(3f, off.Objective.Item(), 5);
        Assert.Equal(full.NegativeElbo, off.NegativeElbo);
        Assert.Equal(4f, off.NegativeElbo, 5);
    }
}
