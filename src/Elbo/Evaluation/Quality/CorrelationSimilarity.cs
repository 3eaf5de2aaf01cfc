namespace Elbo.Evaluation.Quality;

/// <summary>
/// SDMetrics' <b>CorrelationSimilarity</b> (https://docs.sdv.dev/sdmetrics/metrics/quality-metrics/correlationsimilarity):
/// the trend of a pair of numeric columns, 1 − |ρ_real − ρ_synthetic| / 2, with ρ Pearson's correlation (the default)
/// or Spearman's. Each table's ρ is taken over its rows where both values are observed (SDMetrics drops rows with a
/// missing value). 1 = the same correlation, 0 = opposite perfect correlations.
/// </summary>
public static class CorrelationSimilarity
{
    /// <summary>The score and both correlations; the score is null when a correlation is undefined (fewer than two
    /// complete rows, or a column constant over them — SDMetrics gives NaN and the QualityReport skips the pair).</summary>
    public static (double? Score, double RealCorrelation, double SyntheticCorrelation) Compute(ReadOnlySpan<double> realA, ReadOnlySpan<double> realB,
        ReadOnlySpan<double> syntheticA, ReadOnlySpan<double> syntheticB, CorrelationMethod method = CorrelationMethod.Pearson)
    {
        double r = Correlation(realA, realB, method), s = Correlation(syntheticA, syntheticB, method);
        double? score = double.IsNaN(r) || double.IsNaN(s) ? null : 1 - Math.Abs(r - s) / 2;
        return (score, r, s);
    }

    /// <summary>The correlation of (a[i], b[i]) over the rows where both are observed; NaN when undefined.</summary>
    public static double Correlation(ReadOnlySpan<double> a, ReadOnlySpan<double> b, CorrelationMethod method = CorrelationMethod.Pearson)
    {
        if (a.Length != b.Length) throw new ArgumentException($"a correlation needs columns of one length, got {a.Length} and {b.Length}");
        int n = 0;
        for (int i = 0; i < a.Length; i++)
            if (!double.IsNaN(a[i]) && !double.IsNaN(b[i])) n++;
        var x = new double[n];
        var y = new double[n];
        n = 0;
        for (int i = 0; i < a.Length; i++)
            if (!double.IsNaN(a[i]) && !double.IsNaN(b[i]))
            {
                x[n] = a[i];
                y[n++] = b[i];
            }
        if (method == CorrelationMethod.Spearman)
        {
            x = Ranks(x);
            y = Ranks(y);
        }
        return Pearson(x, y);
    }

    /// <summary>Pearson's correlation of two complete samples (two-pass, in double); NaN for fewer than two values or
    /// a constant sample.</summary>
    internal static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length;
        if (n < 2) return double.NaN;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++)
        {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) return double.NaN;
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    /// <summary>The ranks 1 … n of <paramref name="values"/>, ties sharing their average rank (scipy's "average").</summary>
    internal static double[] Ranks(double[] values)
    {
        int n = values.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var keys = (double[])values.Clone();
        Array.Sort(keys, order);
        var ranks = new double[n];
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && keys[j + 1] == keys[i]) j++;
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) ranks[order[k]] = rank;
            i = j + 1;
        }
        return ranks;
    }
}
