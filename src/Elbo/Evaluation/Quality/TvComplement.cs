namespace Elbo.Evaluation.Quality;

/// <summary>
/// SDMetrics' <b>TVComplement</b> (https://docs.sdv.dev/sdmetrics/metrics/quality-metrics/tvcomplement): the shape of a
/// categorical column, 1 − δ with the total variation distance δ = ½ Σ_ω |R_ω − S_ω| between the category frequencies
/// of the real (R) and synthetic (S) column. "This metric ignores any missing values": frequencies are over the
/// observed rows of each table. A category seen only in the synthetic column counts with R_ω = 0 (SDMetrics adds
/// 10⁻⁶ to its real count to avoid a division by zero, a difference below 10⁻⁶ / rows that is left out here).
/// </summary>
public static class TvComplement
{
    /// <summary>1 − δ for codes in 0 … <paramref name="categories"/> − 1 (−1 = missing, skipped); null when either
    /// column has no observed value.</summary>
    public static double? Compute(ReadOnlySpan<int> real, ReadOnlySpan<int> synthetic, int categories)
    {
        var r = Frequencies(real, categories);
        var s = Frequencies(synthetic, categories);
        if (r is null || s is null) return null;
        double tv = 0;
        for (int k = 0; k < categories; k++) tv += Math.Abs(r[k] - s[k]);
        return 1 - 0.5 * tv;
    }

    /// <summary>The share of the observed rows in each category, or null when no row is observed.</summary>
    internal static double[]? Frequencies(ReadOnlySpan<int> codes, int categories)
    {
        var counts = new double[categories];
        int n = 0;
        foreach (int c in codes)
        {
            if (c < 0) continue;
            counts[c]++;
            n++;
        }
        if (n == 0) return null;
        for (int k = 0; k < categories; k++) counts[k] /= n;
        return counts;
    }
}
