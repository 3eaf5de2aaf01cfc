namespace Elbo.Evaluation;

/// <summary>
/// How well scores separate anomalies (positives) from normal examples, and the threshold a contamination rate sets,
/// with the definitions scikit-learn and PyOD use: ROC-AUC is the probability that a random positive scores above a
/// random negative (ties count one half: the Mann–Whitney U statistic over midranks, as
/// <c>sklearn.metrics.roc_auc_score</c>); PR-AUC is the average precision Σ_n (R_n − R_{n−1}) P_n over the distinct
/// score thresholds from the highest down (<c>sklearn.metrics.average_precision_score</c>); the threshold is the
/// (1 − contamination) quantile of the training scores with linear interpolation (<c>numpy.percentile</c>, as PyOD's
/// <c>threshold_</c>), and an example is flagged when its score is above it.
/// </summary>
public static class AnomalyMetrics
{
    /// <summary>The area under the ROC curve of <paramref name="scores"/> (higher: more anomalous) for the labels
    /// <paramref name="positive"/>; NaN when one class is absent.</summary>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        Check(scores, positive);
        int n = scores.Length;
        var order = Order(scores);
        // midranks (1-based) over tied scores; U = Σ ranks of positives − P(P+1)/2
        double rankSum = 0;
        long positives = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) end++;
            double midrank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++)
                if (positive[order[i]])
                {
                    rankSum += midrank;
                    positives++;
                }
            start = end + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>The average precision (area under the precision–recall curve, step-wise) of
    /// <paramref name="scores"/> for the labels <paramref name="positive"/>; NaN without positives.</summary>
    public static double AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        Check(scores, positive);
        int n = scores.Length, total = 0;
        foreach (bool p in positive) total += p ? 1 : 0;
        if (total == 0) return double.NaN;
        var order = Order(scores);
        Array.Reverse(order);                       // highest score first
        double ap = 0, previousRecall = 0;
        int truePositives = 0, seen = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) end++;
            for (int i = start; i <= end; i++) truePositives += positive[order[i]] ? 1 : 0;
            seen = end + 1;
            double recall = (double)truePositives / total, precision = (double)truePositives / seen;
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
            start = end + 1;
        }
        return ap;
    }

    /// <summary>The (1 − <paramref name="contamination"/>) quantile of <paramref name="trainingScores"/>, linearly
    /// interpolated between order statistics; examples scoring above it are flagged.</summary>
    public static double Threshold(ReadOnlySpan<double> trainingScores, double contamination)
    {
        if (trainingScores.IsEmpty) throw new ArgumentException("no training scores to set a threshold from");
        if (!(contamination > 0 && contamination < 0.5))
            throw new SettingException("contamination", $"must be in (0, 0.5), got {contamination}");
        var sorted = trainingScores.ToArray();
        Array.Sort(sorted);
        double position = (1 - contamination) * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static int[] Order(ReadOnlySpan<double> scores)
    {
        var order = Enumerable.Range(0, scores.Length).ToArray();
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        return order;
    }

    private static void Check(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        if (scores.Length != positive.Length) throw new ArgumentException($"{scores.Length} scores for {positive.Length} labels");
        foreach (double s in scores)
            if (!double.IsFinite(s)) throw new ArgumentException("scores must be finite numbers");
    }
}
