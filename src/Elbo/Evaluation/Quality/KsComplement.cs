namespace Elbo.Evaluation.Quality;

/// <summary>
/// SDMetrics' <b>KSComplement</b> (https://docs.sdv.dev/sdmetrics/metrics/quality-metrics/kscomplement): the shape of a
/// numeric column, 1 − D where D = sup_x |F_real(x) − F_synthetic(x)| is the two-sample Kolmogorov–Smirnov statistic
/// of the empirical CDFs (the statistic of scipy.stats.ks_2samp, which SDMetrics calls). Missing values (NaN) are
/// dropped from both samples first, as SDMetrics does. 1 = the same empirical distribution, 0 = disjoint ranges.
/// </summary>
public static class KsComplement
{
    /// <summary>1 − D for the observed values of the two samples, or null when either has none (SDMetrics gives NaN).</summary>
    public static double? Compute(ReadOnlySpan<double> real, ReadOnlySpan<double> synthetic)
    {
        double d = Statistic(real, synthetic);
        return double.IsNaN(d) ? null : 1 - d;
    }

    /// <summary>The two-sample KS statistic D of the observed (non-NaN) values; NaN when either sample has none.</summary>
    public static double Statistic(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double[] x = Observed(a), y = Observed(b);
        if (x.Length == 0 || y.Length == 0) return double.NaN;
        Array.Sort(x);
        Array.Sort(y);
        // Walk both sorted samples; after passing every copy of the smallest remaining value, compare the CDFs.
        int i = 0, j = 0;
        double d = 0, nx = x.Length, ny = y.Length;
        while (i < x.Length && j < y.Length)
        {
            double v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] == v) i++;
            while (j < y.Length && y[j] == v) j++;
            d = Math.Max(d, Math.Abs(i / nx - j / ny));
        }
        // Past the end of one sample its CDF is 1; the other's only rises towards 1, so D cannot grow further.
        return d;
    }

    /// <summary>The non-NaN values of <paramref name="values"/>, in order.</summary>
    internal static double[] Observed(ReadOnlySpan<double> values)
    {
        int n = 0;
        foreach (double v in values)
            if (!double.IsNaN(v)) n++;
        var o = new double[n];
        n = 0;
        foreach (double v in values)
            if (!double.IsNaN(v)) o[n++] = v;
        return o;
    }
}
