namespace Elbo.Evaluation.Quality;

/// <summary>How a <see cref="QualityColumn"/> is scored: SDMetrics' "numerical" or "categorical" sdtype (booleans are
/// categorical with two categories).</summary>
public enum QualityColumnKind
{
    /// <summary>Real numbers (NaN = missing): KSComplement for its shape, CorrelationSimilarity with other numeric
    /// columns, binned for ContingencySimilarity with categorical ones.</summary>
    Numeric,

    /// <summary>Category codes (−1 = missing) with category names: TVComplement for its shape,
    /// ContingencySimilarity in pairs.</summary>
    Categorical,
}
