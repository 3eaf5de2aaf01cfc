namespace Elbo.Evaluation.Quality;

/// <summary>
/// SDMetrics' <b>ContingencySimilarity</b> (https://docs.sdv.dev/sdmetrics/metrics/quality-metrics/contingencysimilarity):
/// the trend of a pair of categorical columns A, B, 1 − ½ Σ_{α∈A} Σ_{β∈B} |R_{α,β} − S_{α,β}|, with R and S the
/// normalized contingency tables (the share of the rows with each combination) of the real and synthetic table, over
/// the union of the combinations either table has. "If there are missing values in the columns, the metric will treat
/// them as an additional, single category": code −1 is one more category here, and the shares are over all rows.
/// Numeric columns enter through <see cref="HistogramBins"/>.
/// </summary>
public static class ContingencySimilarity
{
    // Above this many cells the table is kept sparse.
    private const long DenseCells = 1 << 22;

    /// <summary>The score for codes a in 0 … <paramref name="categoriesA"/> − 1 and b in 0 … <paramref name="categoriesB"/>
    /// − 1 (−1 = missing, its own category); null when either table has no rows.</summary>
    public static double? Compute(ReadOnlySpan<int> realA, ReadOnlySpan<int> realB, ReadOnlySpan<int> syntheticA, ReadOnlySpan<int> syntheticB,
        int categoriesA, int categoriesB)
    {
        if (realA.Length != realB.Length || syntheticA.Length != syntheticB.Length)
            throw new ArgumentException("a contingency table needs two columns of one length per table");
        if (realA.Length == 0 || syntheticA.Length == 0) return null;
        long width = categoriesB + 1L, cells = (categoriesA + 1L) * width;
        double nr = realA.Length, ns = syntheticA.Length;
        double sum = 0;
        if (cells <= DenseCells)
        {
            var r = new int[cells];
            var s = new int[cells];
            for (int i = 0; i < realA.Length; i++) r[(realA[i] + 1) * width + realB[i] + 1]++;
            for (int i = 0; i < syntheticA.Length; i++) s[(syntheticA[i] + 1) * width + syntheticB[i] + 1]++;
            for (long c = 0; c < cells; c++) sum += Math.Abs(r[c] / nr - s[c] / ns);
        }
        else
        {
            var counts = new Dictionary<long, (int Real, int Synthetic)>();
            for (int i = 0; i < realA.Length; i++)
            {
                long key = (realA[i] + 1) * width + realB[i] + 1;
                var v = counts.GetValueOrDefault(key);
                counts[key] = (v.Real + 1, v.Synthetic);
            }
            for (int i = 0; i < syntheticA.Length; i++)
            {
                long key = (syntheticA[i] + 1) * width + syntheticB[i] + 1;
                var v = counts.GetValueOrDefault(key);
                counts[key] = (v.Real, v.Synthetic + 1);
            }
            foreach (var (real, synthetic) in counts.Values) sum += Math.Abs(real / nr - synthetic / ns);
        }
        return 1 - 0.5 * sum;
    }
}
