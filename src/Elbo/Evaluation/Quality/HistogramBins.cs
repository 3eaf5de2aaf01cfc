namespace Elbo.Evaluation.Quality;

/// <summary>
/// The discretization of a numeric column that SDMetrics' QualityReport applies before it compares the column with a
/// categorical one by <see cref="ContingencySimilarity"/> (ColumnPairTrends._discretize_column): the edges are
/// <c>numpy.histogram_bin_edges</c> of the real column's observed values — 10 equal-width bins over [min, max]
/// (a constant column gets [v − ½, v + ½], an empty one [0, 1]) — and each value gets <c>numpy.digitize</c>'s index,
/// the number of edges ≤ it: 0 below the first edge, 1 … 10 inside, and 11 at or above the last edge (so the real
/// maximum is a bin of its own, as in SDMetrics). A missing value stays missing (−1), which ContingencySimilarity counts
/// as one more category. The synthetic column is cut at the real column's edges, as SDMetrics' standalone
/// ContingencySimilarity does for <c>continuous_column_names</c> ("determine the bins based on the real data only",
/// sdv-dev/SDMetrics#700), so a shifted synthetic range shows as a different contingency table.
/// </summary>
public sealed class HistogramBins
{
    /// <summary>SDMetrics' number of bins (numpy's default).</summary>
    public const int DefaultBins = 10;

    private HistogramBins(double[] edges) => Edges = edges;

    /// <summary>The bin edges, increasing (bins + 1 of them).</summary>
    public IReadOnlyList<double> Edges { get; }

    /// <summary>The number of codes <see cref="Code"/> can return besides −1: bins + 2 (0 … bins + 1).</summary>
    public int CodeCount => Edges.Count + 1;

    /// <summary>numpy.histogram_bin_edges(observed, bins) for the non-NaN values of <paramref name="real"/>.</summary>
    public static HistogramBins FromReal(ReadOnlySpan<double> real, int bins = DefaultBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in real)
        {
            if (double.IsNaN(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (min > max) (min, max) = (0, 1);
        else if (min == max) (min, max) = (min - 0.5, max + 0.5);
        // numpy.linspace(first, last, bins + 1): start + i·step, the last edge exactly the maximum.
        var edges = new double[bins + 1];
        double step = (max - min) / bins;
        for (int i = 0; i < bins; i++) edges[i] = min + i * step;
        edges[bins] = max;
        return new HistogramBins(edges);
    }

    /// <summary>numpy.digitize's index of <paramref name="value"/> (the number of edges ≤ it), or −1 for NaN.</summary>
    public int Code(double value)
    {
        if (double.IsNaN(value)) return -1;
        var e = (double[])Edges;
        int lo = 0, hi = e.Length; // first index with e[index] > value
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (e[mid] <= value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>The codes of every value of <paramref name="values"/>.</summary>
    public int[] Codes(ReadOnlySpan<double> values)
    {
        var codes = new int[values.Length];
        for (int i = 0; i < values.Length; i++) codes[i] = Code(values[i]);
        return codes;
    }
}
