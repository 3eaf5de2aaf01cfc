using Elbo.Evaluation;

namespace Elbo.Tests.Evaluation;

public class LogWeightsTests
{
    [Fact]
    public void LogMeanExpHandlesExtremeValuesWithoutOverflow()
    {
        Assert.Equal(1e4, LogWeights.LogMeanExp([1e4, 1e4, 1e4]), 9);
        Assert.Equal(-1e4, LogWeights.LogMeanExp([-1e4, -1e4]), 9);
        Assert.Equal(1e4 - Math.Log(2), LogWeights.LogMeanExp([1e4, -1e4]), 9);
        Assert.Equal(Math.Log((Math.E + Math.Exp(2)) / 2), LogWeights.LogMeanExp([1, 2]), 12);
        Assert.Equal(double.NegativeInfinity, LogWeights.LogMeanExp([double.NegativeInfinity, double.NegativeInfinity]));
        Assert.Throws<ArgumentException>(() => LogWeights.LogMeanExp([]));
    }

    [Fact]
    public void EffectiveSampleSizeIsKForEqualWeightsAndOneForOneHot()
    {
        Assert.Equal(5, LogWeights.EffectiveSampleSize([-1e4, -1e4, -1e4, -1e4, -1e4]), 9);
        Assert.Equal(1, LogWeights.EffectiveSampleSize([1e4, 0, -5, -1e4]), 9);
        Assert.Equal(1, LogWeights.EffectiveSampleSize([0, double.NegativeInfinity, double.NegativeInfinity]), 12);
        Assert.Equal(2, LogWeights.EffectiveSampleSize([3, 3, double.NegativeInfinity]), 12);
    }

    [Fact]
    public void StandardErrorIsSampleDeviationOverRootN()
    {
        var (mean, se) = LogWeights.MeanAndStandardError([1, 2, 3, 4]);
        Assert.Equal(2.5, mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3) / 2, se, 12);
        Assert.Equal((7.0, 0.0), LogWeights.MeanAndStandardError([7]));
    }
}
