using System.Diagnostics;

namespace Elbo.Evaluation.Quality;

/// <summary>
/// The distance-to-closest-record figures of <see cref="PrivacyResult"/>: the DCR of every synthetic row to the
/// training rows and, with a holdout, of every holdout row to the training rows and of every synthetic row to the
/// holdout rows (for SDMetrics' DCROverfittingProtection,
/// https://docs.sdv.dev/sdmetrics/metrics/privacy-and-fairness-metrics/dcroverfittingprotection). All distances use
/// the training table's numeric ranges, so they are on one scale.
/// </summary>
internal static class PrivacyCheck
{
    public static PrivacyResult Compute(AlignedColumn[] columns, int holdoutRows, QualityOptions options)
    {
        var watch = Stopwatch.StartNew();
        var kinds = columns.Select(c => c.Kind).ToArray();
        var ranges = columns.Select(c => c.Kind == QualityColumnKind.Numeric ? Range(c.RealValues!) : 0).ToArray();
        var training = new ClosestRecordDistance(kinds, columns.Select(c => c.RealNumbers).ToArray(), ranges);
        var synthetic = columns.Select(c => c.SyntheticNumbers).ToArray();
        var toTraining = training.Closest(synthetic);
        int nTrain = training.ReferenceRows;

        double? syntheticMedian = Median(toTraining), syntheticExact = ShareZero(toTraining);
        double? holdoutMedian = null, holdoutExact = null, closerThanMedian = null, closerToTraining = null, protection = null;
        bool hasHoldout = holdoutRows > 0 && columns[0].HoldoutNumbers is not null;
        if (hasHoldout && nTrain > 0)
        {
            var holdout = columns.Select(c => c.HoldoutNumbers!).ToArray();
            var holdoutToTraining = training.Closest(holdout);
            holdoutMedian = Median(holdoutToTraining);
            holdoutExact = ShareZero(holdoutToTraining);
            if (holdoutMedian is { } hm && toTraining.Length > 0)
                closerThanMedian = toTraining.Count(d => d < hm) / (double)toTraining.Length;
            var toHoldout = new ClosestRecordDistance(kinds, holdout, ranges).Closest(synthetic);
            if (toTraining.Length > 0)
            {
                int closer = 0;
                for (int i = 0; i < toTraining.Length; i++)
                    if (toTraining[i] < toHoldout[i]) closer++;
                closerToTraining = closer / (double)toTraining.Length;
                protection = Math.Min(2 * (1 - closerToTraining.Value), 1);
            }
        }

        string? reason = null;
        if (hasHoldout && syntheticExact is { } se && holdoutExact is { } he && se > he + options.ExactMatchLimit)
            reason = $"{Percent(se)} of the synthetic rows equal a training row, against {Percent(he)} of the holdout rows";
        else if (!hasHoldout && syntheticExact is { } se2 && se2 > options.ExactMatchLimit)
            reason = $"{Percent(se2)} of the synthetic rows equal a training row (no holdout to compare with)";
        else if (closerThanMedian is { } cm && cm > options.CloserThanHoldoutLimit)
            reason = $"{Percent(cm)} of the synthetic rows are closer to a training row than the median holdout row is (about 50% expected)";

        return new PrivacyResult
        {
            TrainingRows = nTrain,
            SyntheticRows = toTraining.Length,
            HoldoutRows = hasHoldout ? holdoutRows : 0,
            SyntheticMedianDcr = syntheticMedian,
            SyntheticExactMatches = syntheticExact,
            HoldoutMedianDcr = holdoutMedian,
            HoldoutExactMatches = holdoutExact,
            CloserThanHoldoutMedian = closerThanMedian,
            CloserToTraining = closerToTraining,
            OverfittingProtection = protection,
            Flagged = reason is not null,
            FlagReason = reason,
            Seconds = watch.Elapsed.TotalSeconds,
        };
    }

    /// <summary>max − min of the observed values; NaN when none is observed.</summary>
    internal static double Range(double[] values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsNaN(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return min <= max ? max - min : double.NaN;
    }

    /// <summary>The median (mean of the middle two for an even count); null for no values or NaN distances.</summary>
    internal static double? Median(double[] values)
    {
        if (values.Length == 0 || double.IsNaN(values[0])) return null;
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static double? ShareZero(double[] values) =>
        values.Length == 0 || double.IsNaN(values[0]) ? null : values.Count(d => d == 0) / (double)values.Length;

    private static string Percent(double share) => (100 * share).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
