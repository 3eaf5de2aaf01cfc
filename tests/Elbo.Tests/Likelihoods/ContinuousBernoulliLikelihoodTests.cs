using Elbo.Likelihoods;

namespace Elbo.Tests.Likelihoods;

public class ContinuousBernoulliLikelihoodTests
{
    // −log p(x|ℓ) in double: BCE(ℓ, x) − log C(ℓ), C = ℓ / tanh(ℓ/2) (2 at 0)
    private static double Nll(double l, double x)
    {
        double bce = Math.Max(l, 0) - l * x + Math.Log(1 + Math.Exp(-Math.Abs(l)));
        double logC = Math.Abs(l) < 1e-6 ? Math.Log(2) : Math.Log(l / Math.Tanh(l / 2));
        return bce - logC;
    }

    [Fact]
    public void TheRegistryNamesIt()
    {
        Assert.Contains("continuous-bernoulli", LikelihoodRegistry.Names);
        Assert.IsType<ContinuousBernoulliLikelihood>(LikelihoodRegistry.Create("continuous-bernoulli"));
    }

    [Fact]
    public void PerExampleNllSumsTheValuesDensities()
    {
        var likelihood = new ContinuousBernoulliLikelihood();
        var logits = Tensor.FromArray([-3f, 0f, 0.2f, 5f, 1e-4f, -12f], 2, 3);
        var x = Tensor.FromArray([0f, 0.5f, 1f, 0.9f, 0.3f, 0.05f], 2, 3);
        var perExample = likelihood.NegLogLikelihood(logits, x).ToArray();
        for (int i = 0; i < 2; i++)
        {
            double expected = 0;
            for (int j = 0; j < 3; j++) expected += Nll(logits.Data[3 * i + j], x.Data[3 * i + j]);
            Assert.Equal(expected, perExample[i], 4);
        }
        Assert.Equal(perExample.Sum(), likelihood.NegLogLikelihoodSum(logits, x).Item(), 4);
    }

    [Theory]
    [InlineData(-6.0)]
    [InlineData(-0.5)]
    [InlineData(0.0)]
    [InlineData(2.0)]
    public void TheDensityIntegratesToOneUnlikeTheBernoullis(double logit)
    {
        // Simpson's rule over x in [0, 1] of exp(−nll) through the likelihood itself (float32)
        const int n = 200;
        var logits = Tensor.Full((float)logit, n + 1, 1);
        var x = Tensor.Zeros(n + 1, 1);
        for (int i = 0; i <= n; i++) x.Data[i] = (float)i / n;
        var cb = new ContinuousBernoulliLikelihood().NegLogLikelihood(logits, x).ToArray();
        var bernoulli = new BernoulliLikelihood().NegLogLikelihood(logits, x).ToArray();
        double Integral(float[] nll) => Enumerable.Range(0, n + 1)
            .Sum(i => (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * Math.Exp(-nll[i])) / (3.0 * n);
        Assert.Equal(1.0, Integral(cb), 4);
        Assert.True(Integral(bernoulli) < 0.95, $"the Bernoulli 'density' integrates to {Integral(bernoulli)}");
    }

    [Fact]
    public void TheMeanIsTheDistributionsNotTheSigmoid()
    {
        var logits = Tensor.FromArray([-4f, 0f, 4f], 1, 3);
        var mean = new ContinuousBernoulliLikelihood().Mean(logits).ToArray();
        for (int j = 0; j < 3; j++)
        {
            double l = logits.Data[j];
            double expected = l == 0 ? 0.5 : 1 / (1 - Math.Exp(-l)) - 1 / l;
            Assert.Equal(expected, mean[j], 5);
        }
        Assert.True(mean[2] < 1 / (1 + Math.Exp(-4)) - 0.1, "at ℓ = 4 the mean (0.77) is well below σ(ℓ) (0.98)");
    }
}
