namespace Elbo.Evaluation.Quality;

/// <summary>The correlation coefficient of <see cref="CorrelationSimilarity"/>.</summary>
public enum CorrelationMethod
{
    /// <summary>Pearson's product-moment correlation (SDMetrics' default, and the QualityReport's).</summary>
    Pearson,

    /// <summary>Spearman's rank correlation: Pearson's on the ranks, ties given their average rank.</summary>
    Spearman,
}
