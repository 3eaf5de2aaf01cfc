using Elbo.Evaluation;

namespace Elbo.Tests.Evaluation;

public class ActiveUnitsTests
{
    [Fact]
    public void ActiveUnitsCountDimensionsWhoseMeanVariesAboveThreshold()
    {
        // four examples, three dimensions: μ_0 varies a lot, μ_1 barely (variance 0.0025), μ_2 not at all
        float[] mu = [1f, 0.05f, 0.3f, -1f, -0.05f, 0.3f, 1f, 0.05f, 0.3f, -1f, -0.05f, 0.3f];
        float[] logVar = [-2f, 0f, 0f, -2f, 0f, 0f, -2f, 0f, 0f, -2f, 0f, 0f];
        var codes = LatentCodes.Gaussian(mu, logVar, [0, 1, 2, 3], 3);
        var variance = codes.VarianceOfMu();
        Assert.Equal(1.0, variance[0], 6);
        Assert.Equal(0.0025, variance[1], 6);
        Assert.Equal(0.0, variance[2], 9);
        Assert.Equal(1, ActiveUnits.Count(codes));
        Assert.Equal(2, ActiveUnits.Count(codes, threshold: 0.001));
        var kl = codes.KlPerDimension();
        Assert.Equal(0.5 * (1 + Math.Exp(-2) - 1 + 2), kl[0], 6);
        Assert.Equal(0.5 * 0.0025, kl[1], 6);
        Assert.Equal(0.5 * 0.09, kl[2], 6);
    }

    [Fact]
    public void EvaluatorReportsKlPerDimensionSummingToKlAndTheActiveCount()
    {
        var lg = new LinearGaussian();
        lg.SetExactPosterior();
        var data = lg.Sample(300, seed: 23);
        var codes = LatentCodes.Encode(lg.Model, data);
        var result = Evaluator.Run(lg.Model, data, new EvalOptions { K = 10 });
        Assert.Equal(codes.KlPerDimension(), result.KlPerDimension);
        Assert.Equal(codes.VarianceOfMu(), result.VarianceOfMu);
        Assert.Equal(result.KlPerDimension.Sum(), result.Kl, 9);
        Assert.Equal(2, result.ActiveUnits);          // both dimensions of the exact posterior carry information
        Assert.Equal(0.01, result.ActiveThreshold);
    }
}
