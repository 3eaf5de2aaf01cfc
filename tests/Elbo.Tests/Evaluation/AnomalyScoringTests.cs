using Elbo.Data;
using Elbo.Engine.Optim;
using Elbo.Evaluation;
using Elbo.Models;
using Elbo.Objectives;

namespace Elbo.Tests.Evaluation;

public class AnomalyScoringTests
{
    [Fact]
    public void RocAucAndAveragePrecisionAreScikitLearns()
    {
        // sklearn's documented example: roc_auc_score = 0.75, average_precision_score = 0.8333…
        double[] scores = [0.1, 0.4, 0.35, 0.8];
        bool[] positive = [false, false, true, true];
        Assert.Equal(0.75, AnomalyMetrics.RocAuc(scores, positive), 12);
        Assert.Equal(5.0 / 6, AnomalyMetrics.AveragePrecision(scores, positive), 12);
        // ties count one half, and a tied group is one threshold
        Assert.Equal(0.5, AnomalyMetrics.RocAuc([1, 1, 0, 0], [true, false, true, false]), 12);
        Assert.Equal(0.5, AnomalyMetrics.AveragePrecision([1, 1, 0, 0], [true, false, true, false]), 12);
        Assert.Equal(1.0, AnomalyMetrics.RocAuc([3, 2, 1], [true, false, false]));
        Assert.True(double.IsNaN(AnomalyMetrics.RocAuc([3, 2], [false, false])));
    }

    [Fact]
    public void TheThresholdIsNumpysPercentileOfTheTrainingScores()
    {
        Assert.Equal(4.6, AnomalyMetrics.Threshold([5, 1, 4, 2, 3], 0.1), 12);      // numpy.percentile([1..5], 90)
        Assert.Equal(3.0, AnomalyMetrics.Threshold([3], 0.05));
        Assert.Equal("contamination", Assert.Throws<SettingException>(() => AnomalyMetrics.Threshold([1, 2], 0.7)).Setting);
    }

    // Rows of two alternating binary patterns; an example unlike both must score as the most anomalous.
    [Fact]
    public void AnExampleUnlikeTheTrainingDataScoresHighest()
    {
        int n = 64, d = 8;
        var values = new float[(n + 1) * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) values[i * d + j] = (j < d / 2) == (i % 2 == 0) ? 1f : 0f;
        for (int j = 0; j < d; j++) values[n * d + j] = j % 2;          // the odd one
        var shape = DataShape.Table(d);
        var model = ModelRegistry.Create(new ModelOptions("mlp", shape, 2, [16], []), new Generator(1));
        var adam = new Adam(model.Parameters(), 0.01);
        var x = Tensor.FromArray(values[..(n * d)], n, d);
        for (int step = 0; step < 200; step++)
        {
            adam.ZeroGrad();
            model.Loss(x, new ElboObjective(), 1f, new Generator((ulong)step)).Objective.Backward();
            adam.Step();
        }
        var data = new Dataset("t", values, null, shape, "none");
        var scores = ExampleScores.Compute(model, data, k: 50, seed: 3);
        Assert.Equal("neg_log_px", scores.ScoreName);
        Assert.Equal(n, Array.IndexOf(scores.Score, scores.Score.Max()));
        Assert.True(scores.NegLogPx!.Average() <= scores.NegElbo.Average());
        bool[] anomaly = [.. Enumerable.Range(0, n + 1).Select(i => i == n)];
        Assert.Equal(1.0, AnomalyMetrics.RocAuc(scores.Score, anomaly));

        var ae = ModelRegistry.Create(new ModelOptions("ae", shape, 2, [16], []), new Generator(1));
        var aeScores = ExampleScores.Compute(ae, data, k: 50, seed: 3);
        Assert.Null(aeScores.NegLogPx);
        Assert.Equal("neg_elbo", aeScores.ScoreName);
    }
}
