namespace Elbo.Evaluation;

/// <summary>Numerically stable reductions of importance log-weights, in double: log-mean-exp (the importance-sampled
/// log-likelihood) and the effective sample size.</summary>
public static class LogWeights
{
    /// <summary>log( (1/K) Σ_k exp(a_k) ), computed with a max shift so values like ±1e4 neither overflow nor
    /// underflow. −∞ when every a_k is −∞; NaN when any is NaN.</summary>
    public static double LogMeanExp(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) throw new ArgumentException("log-mean-exp of no values");
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsNaN(v)) return double.NaN;
            if (v > max) max = v;
        }
        if (double.IsNegativeInfinity(max)) return double.NegativeInfinity;
        if (double.IsPositiveInfinity(max)) return double.PositiveInfinity;
        double sum = 0;
        foreach (double v in values) sum += Math.Exp(v - max);
        return max + Math.Log(sum / values.Length);
    }

    /// <summary>The effective sample size (Σ w)² / Σ w² of the weights w_k = exp(a_k), from their logs: K for equal
    /// weights, 1 when one weight dominates. Scale-free, so the max shift makes it exact for any range.</summary>
    public static double EffectiveSampleSize(ReadOnlySpan<double> logWeights)
    {
        if (logWeights.IsEmpty) throw new ArgumentException("effective sample size of no weights");
        double max = double.NegativeInfinity;
        foreach (double v in logWeights) if (v > max) max = v;
        if (double.IsNegativeInfinity(max) || double.IsNaN(max)) return double.NaN;
        double sum = 0, sumSquares = 0;
        foreach (double v in logWeights)
        {
            double w = Math.Exp(v - max);
            sum += w;
            sumSquares += w * w;
        }
        return sum * sum / sumSquares;
    }

    /// <summary>The mean of <paramref name="values"/> and its standard error, the sample standard deviation (N − 1)
    /// over √N (0 for a single value).</summary>
    public static (double Mean, double StandardError) MeanAndStandardError(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) throw new ArgumentException("mean of no values");
        double mean = 0;
        foreach (double v in values) mean += v;
        mean /= values.Length;
        if (values.Length == 1) return (mean, 0);
        double ss = 0;
        foreach (double v in values) ss += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(ss / (values.Length - 1)) / Math.Sqrt(values.Length));
    }
}
