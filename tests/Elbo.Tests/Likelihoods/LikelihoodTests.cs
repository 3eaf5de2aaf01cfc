using Elbo.Likelihoods;

namespace Elbo.Tests.Likelihoods;

public class LikelihoodTests
{
    private static (Tensor Output, Tensor X) Batch(int b, int d, int p, ulong seed, bool binaryish = true)
    {
        var g = new Generator(seed);
        var output = Tensor.Randn(g, b, p * d) * 3f;
        var x = binaryish ? Tensor.Uniform(g, 0f, 1f, b, d) : Tensor.Randn(g, b, d);
        return (output, x);
    }

    [Fact]
    public void BernoulliIsTheCrossEntropyOfTheSigmoidOfTheLogits()
    {
        var (logits, x) = Batch(4, 6, 1, 1);
        var lik = new BernoulliLikelihood();
        var perExample = lik.NegLogLikelihood(logits, x).ToArray();
        double total = 0;
        for (int i = 0; i < 4; i++)
        {
            double s = 0;
            for (int j = 0; j < 6; j++)
            {
                double l = logits[i, j], t = x[i, j], p = 1 / (1 + Math.Exp(-l));
                s -= t * Math.Log(p) + (1 - t) * Math.Log(1 - p);
            }
            Assert.Equal(s, perExample[i], 1e-3);
            total += s;
        }
        Assert.Equal(total, lik.NegLogLikelihoodSum(logits, x).Item(), 1e-2);
        var mean = lik.Mean(logits);
        Assert.Equal(1 / (1 + Math.Exp(-logits[0, 0])), mean[0, 0], 1e-6);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0.1f)]
    public void FixedGaussianIsTheGaussianNegativeLogDensity(float sigma)
    {
        var (mu, x) = Batch(3, 5, 1, 2, binaryish: false);
        var lik = new GaussianLikelihood(sigma);
        var perExample = lik.NegLogLikelihood(mu, x).ToArray();
        double total = 0;
        for (int i = 0; i < 3; i++)
        {
            double s = 0;
            for (int j = 0; j < 5; j++)
            {
                double d = x[i, j] - mu[i, j];
                s += d * d / (2 * sigma * sigma) + Math.Log(sigma) + 0.5 * Math.Log(2 * Math.PI);
            }
            Assert.Equal(s, perExample[i], Math.Abs(s) * 1e-5 + 1e-3);
            total += s;
        }
        Assert.Equal(total, lik.NegLogLikelihoodSum(mu, x).Item(), Math.Abs(total) * 1e-5 + 1e-2);
    }

    [Fact]
    public void LearnedGaussianUsesTheFirstHalfAsMeanAndTheSecondAsLogVariance()
    {
        var (output, x) = Batch(3, 4, 2, 3, binaryish: false);
        var lik = new LearnedGaussianLikelihood();
        var perExample = lik.NegLogLikelihood(output, x).ToArray();
        for (int i = 0; i < 3; i++)
        {
            double s = 0;
            for (int j = 0; j < 4; j++)
            {
                double m = output[i, j], lv = output[i, 4 + j], d = x[i, j] - m;
                s += 0.5 * (Math.Log(2 * Math.PI) + lv + d * d * Math.Exp(-lv));
            }
            Assert.Equal(s, perExample[i], Math.Abs(s) * 1e-5 + 1e-3);
        }
        Assert.Equal(output[1, 2], lik.Mean(output)[1, 2]);
    }

    [Fact]
    public void MismatchedOutputAndDataShapesAreRejected()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new LearnedGaussianLikelihood().NegLogLikelihood(Tensor.Zeros(2, 5), Tensor.Zeros(2, 5)));
        Assert.Contains("gaussian-learned", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianLikelihood(0f));
    }

    [Fact]
    public void RegistryNamesEveryLikelihoodAndRejectsOthers()
    {
        foreach (var name in LikelihoodRegistry.Names) Assert.Equal(name, LikelihoodRegistry.Create(name, table: new TabularLayout(1, 0, [])).Name);
        var e = Assert.ThrowsAny<ArgumentException>(() => LikelihoodRegistry.Create("poisson"));
        Assert.Contains("bernoulli, gaussian, gaussian-learned", e.Message);
    }
}
