namespace Elbo.Evaluation.Quality;

/// <summary>Settings of <see cref="QualityReport.Compute"/>; the defaults are SDMetrics' QualityReport.</summary>
public sealed record QualityOptions
{
    /// <summary>The correlation of numeric pairs (SDMetrics: Pearson).</summary>
    public CorrelationMethod CorrelationMethod { get; init; } = CorrelationMethod.Pearson;

    /// <summary>Equal-width bins of a numeric column paired with a categorical one (SDMetrics: 10).</summary>
    public int Bins { get; init; } = HistogramBins.DefaultBins;

    /// <summary>Whether to run the distance-to-closest-record check.</summary>
    public bool Privacy { get; init; } = true;

    /// <summary>The share of synthetic rows closer than the median holdout row above which the rows are flagged as
    /// too close to the training rows (0.5 expected for rows as new as unseen real ones).</summary>
    public double CloserThanHoldoutLimit { get; init; } = 0.6;

    /// <summary>How much the share of synthetic rows equal to a training row may exceed the holdout's share (or, with
    /// no holdout, the share itself) before the rows are flagged.</summary>
    public double ExactMatchLimit { get; init; } = 0.01;
}
