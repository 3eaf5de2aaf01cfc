using Elbo.Evaluation.Quality;

namespace Elbo.Tests.Evaluation.Quality;

public class ColumnPairTests
{
    [Fact]
    public void CorrelationSimilarityIsOneMinusHalfTheCorrelationGap()
    {
        // Real ρ = 1; synthetic y = (1, 3, 2): Σdxdy = 1, Σdx² = Σdy² = 2 → ρ = .5 → 1 − .5/2 = .75.
        var (score, r, s) = CorrelationSimilarity.Compute([1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 3, 2]);
        Assert.Equal(1, r, 1e-15);
        Assert.Equal(0.5, s, 1e-15);
        Assert.Equal(0.75, score!.Value, 1e-15);
        Assert.Equal(0, CorrelationSimilarity.Compute([1, 2, 3], [1, 2, 3], [1, 2, 3], [3, 2, 1]).Score!.Value, 1e-15);
    }

    [Fact]
    public void CorrelationUsesOnlyRowsWhereBothValuesAreObserved()
    {
        double n = double.NaN;
        Assert.Equal(0.5, CorrelationSimilarity.Correlation([1, n, 2, 3, 7], [1, 5, 3, 2, n]), 1e-15);
    }

    [Fact]
    public void CorrelationsMatchScipy()
    {
        var a = QualityReference.A[..25];
        Assert.Equal(QualityReference.PearsonA25B, CorrelationSimilarity.Correlation(a, QualityReference.B), 1e-13);
        Assert.Equal(QualityReference.SpearmanA25B, CorrelationSimilarity.Correlation(a, QualityReference.B, CorrelationMethod.Spearman), 1e-13);
        Assert.Equal(QualityReference.SpearmanTies, CorrelationSimilarity.Correlation([1, 2, 2, 3, 3, 3, 4, 10], [5, 1, 1, 2, 7, 7, 0, 3], CorrelationMethod.Spearman), 1e-13);
    }

    [Fact]
    public void ACorrelationWithAConstantColumnIsUndefined()
    {
        var (score, r, _) = CorrelationSimilarity.Compute([1, 1, 1], [1, 2, 3], [1, 2, 3], [1, 2, 3]);
        Assert.Null(score);
        Assert.True(double.IsNaN(r));
    }

    [Fact]
    public void ContingencySimilarityComparesTheJointShares()
    {
        // Real: each of the four combinations .25; synthetic (0,0) .5, (0,1) .25, (1,1) .25 → ½ (.25 + .25) = .25.
        Assert.Equal(0.75, ContingencySimilarity.Compute([0, 0, 1, 1], [0, 1, 0, 1], [0, 0, 0, 1], [0, 0, 1, 1], 2, 2)!.Value, 1e-15);
        Assert.Equal(1, ContingencySimilarity.Compute([0, 1], [1, 0], [1, 0, 0, 1], [0, 1, 1, 0], 2, 2)!.Value, 1e-15);
    }

    [Fact]
    public void ContingencySimilarityCountsMissingAsOneMoreCategory()
    {
        // Real (0,0) .5, (missing,0) .5; synthetic (missing,0) 1 → ½ (.5 + .5) = .5.
        Assert.Equal(0.5, ContingencySimilarity.Compute([0, -1], [0, 0], [-1, -1], [0, 0], 1, 1)!.Value, 1e-15);
    }

    [Fact]
    public void BinsAreNumpyHistogramEdgesOfTheRealColumnAndDigitizeIndices()
    {
        var bins = HistogramBins.FromReal([.. QualityReference.A, double.NaN]);
        Assert.Equal(QualityReference.Edges, bins.Edges, new Tolerance(1e-15));
        Assert.Equal(QualityReference.Digitized, bins.Codes(QualityReference.Probe));
        Assert.Equal(-1, bins.Code(double.NaN));
        Assert.Equal(12, bins.CodeCount);
        Assert.Equal(QualityReference.ConstantEdges, HistogramBins.FromReal([2.0, 2.0, 2.0]).Edges, new Tolerance(1e-15));
    }
}
