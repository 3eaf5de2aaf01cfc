using Elbo.Evaluation.Quality;

namespace Elbo.Tests.Evaluation.Quality;

public class ColumnShapeTests
{
    [Fact]
    public void KsComplementOfTwoSmallSamplesIsOneMinusTheLargestCdfGap()
    {
        // CDFs at 1, 2, 3, 4, 5, 6: real .25 .5 .75 1 1 1, synthetic 0 0 .25 .5 .75 1 → D = 0.5.
        Assert.Equal(0.5, KsComplement.Compute([1, 2, 3, 4], [3, 4, 5, 6])!.Value, 1e-15);
        // Ties: real {1,1,2}, synthetic {1,2,2}: at 1 2/3 vs 1/3, at 2 1 vs 1 → D = 1/3.
        Assert.Equal(1 - 1.0 / 3, KsComplement.Compute([1, 1, 2], [2, 1, 2])!.Value, 1e-15);
        Assert.Equal(0, KsComplement.Compute([1, 2], [3, 4])!.Value, 1e-15);
    }

    [Fact]
    public void KsComplementDropsMissingValues()
    {
        Assert.Equal(0.5, KsComplement.Compute([1, double.NaN, 2, 3, 4], [3, 4, double.NaN, 5, 6])!.Value, 1e-15);
        Assert.Null(KsComplement.Compute([double.NaN, double.NaN], [1, 2]));
    }

    [Fact]
    public void KsStatisticMatchesScipy()
    {
        // Fixtures/make_reference.py: scipy.stats.ks_2samp(a, b).statistic = 0.11.
        Assert.Equal(0.11, KsComplement.Statistic(QualityReference.A, QualityReference.B), 1e-12);
    }

    [Fact]
    public void TvComplementIsOneMinusHalfTheL1DistanceOfTheFrequencies()
    {
        // Real .5 .25 .25, synthetic .25 .75 0 → δ = ½ (.25 + .5 + .25) = .5.
        Assert.Equal(0.5, TvComplement.Compute([0, 0, 1, 2], [0, 1, 1, 1], 3)!.Value, 1e-15);
        // Missing codes are ignored on both sides.
        Assert.Equal(0.5, TvComplement.Compute([0, -1, 0, 1, 2, -1], [0, 1, -1, 1, 1], 3)!.Value, 1e-15);
        Assert.Equal(1, TvComplement.Compute([0, 1], [1, 0, 1, 0], 2)!.Value, 1e-15);
        Assert.Null(TvComplement.Compute([-1, -1], [0], 2));
    }
}
