using Elbo.Evaluation.Quality;

namespace Elbo.Tests.Evaluation.Quality;

public class PrivacyTests
{
    [Fact]
    public void TheDistanceIsTheMeanOfRangeScaledAndMismatchTerms()
    {
        // Training (0, a), (10, b), range 10. Query (2, b): row 1 (.2 + 1)/2 = .6, row 2 (.8 + 0)/2 = .4 → .4.
        var dcr = new ClosestRecordDistance([QualityColumnKind.Numeric, QualityColumnKind.Categorical], [[0, 10], [0, 1]], [10, 0]);
        var d = dcr.Closest([[2, 5, double.NaN, 30], [1, 0, 0, -1]]);
        Assert.Equal(0.4, d[0], 1e-6);
        Assert.Equal(0.25, d[1], 1e-6); // (5, a): (.5 + 0)/2
        Assert.Equal(0.5, d[2], 1e-6); // (missing, a): (1 + 0)/2
        Assert.Equal(1, d[3], 1e-6); // (30, missing): capped 1 + 1, over 2
    }

    [Fact]
    public void MissingMatchesMissingAndAConstantColumnCountsEquality()
    {
        var dcr = new ClosestRecordDistance([QualityColumnKind.Numeric, QualityColumnKind.Numeric], [[double.NaN, 1], [3, 3]], [0, 0]);
        var d = dcr.Closest([[double.NaN, double.NaN], [3, 4]]);
        Assert.Equal(0, d[0]); // (missing, 3) equals row 1
        Assert.Equal(0.5, d[1], 1e-6); // (missing, 4): row 1 has missing, but 4 ≠ 3
    }

    [Fact]
    public void TheVectorizedDistanceMatchesANaiveOneAcrossBlockEdges()
    {
        var rng = new Random(11);
        const int train = 1100, queries = 37, cols = 7; // more than one reference block, a partial query block, odd tails
        var kinds = Enumerable.Range(0, cols).Select(c => c % 3 == 2 ? QualityColumnKind.Categorical : QualityColumnKind.Numeric).ToArray();
        double[] Column(int n, QualityColumnKind k) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.1
            ? (k == QualityColumnKind.Numeric ? double.NaN : -1)
            : k == QualityColumnKind.Numeric ? Math.Round(rng.NextDouble() * 4, 1) : rng.Next(3)).ToArray();
        var t = kinds.Select(k => Column(train, k)).ToArray();
        var q = kinds.Select(k => Column(queries, k)).ToArray();
        var ranges = t.Select((c, i) => kinds[i] == QualityColumnKind.Numeric ? PrivacyCheck.Range(c) : 0).ToArray();
        var fast = new ClosestRecordDistance(kinds, t, ranges).Closest(q);
        for (int i = 0; i < queries; i++)
        {
            double best = double.PositiveInfinity;
            for (int j = 0; j < train; j++)
            {
                double sum = 0;
                for (int c = 0; c < cols; c++)
                {
                    double s = q[c][i], r = t[c][j];
                    if (kinds[c] == QualityColumnKind.Categorical) sum += s == r ? 0 : 1;
                    else if (double.IsNaN(s) && double.IsNaN(r)) sum += 0;
                    else if (double.IsNaN(s) || double.IsNaN(r)) sum += 1;
                    else sum += Math.Min(Math.Abs(s - r) / ranges[c], 1);
                }
                best = Math.Min(best, sum / cols);
            }
            Assert.Equal(best, fast[i], 1e-5);
        }
    }

    [Fact]
    public void ACopyOfTheTrainingSetHasDcrZeroAndIsFlagged()
    {
        var train = QualityTestTables.Mixed(1000, 21);
        var holdout = QualityTestTables.Mixed(500, 22);
        var p = QualityReport.Compute(train, train, holdout).Privacy!;
        Assert.Equal(0, p.SyntheticMedianDcr);
        Assert.Equal(1, p.SyntheticExactMatches);
        Assert.True(p.HoldoutMedianDcr > 0);
        Assert.Equal(0, p.HoldoutExactMatches);
        Assert.Equal(1, p.CloserThanHoldoutMedian);
        Assert.Equal(1, p.CloserToTraining);
        Assert.Equal(0, p.OverfittingProtection);
        Assert.True(p.Flagged);
        Assert.Contains("100% of the synthetic rows equal a training row", p.FlagReason);
    }

    [Fact]
    public void FreshRowsOfTheSameDistributionAreNotFlagged()
    {
        var train = QualityTestTables.Mixed(1500, 31);
        var holdout = QualityTestTables.Mixed(1500, 32);
        var synthetic = QualityTestTables.Mixed(1500, 33);
        var p = QualityReport.Compute(train, synthetic, holdout).Privacy!;
        Assert.InRange(p.CloserThanHoldoutMedian!.Value, 0.4, 0.6);
        Assert.InRange(p.CloserToTraining!.Value, 0.4, 0.6); // holdout as large as the training set
        Assert.InRange(p.SyntheticMedianDcr!.Value / p.HoldoutMedianDcr!.Value, 0.85, 1.15);
        Assert.False(p.Flagged, p.FlagReason);
        Assert.Equal(1500, p.TrainingRows);
        Assert.Equal(1500, p.HoldoutRows);
    }

    [Fact]
    public void WithoutAHoldoutOnlyTheDistancesToTheTrainingRowsAreGiven()
    {
        var train = QualityTestTables.Mixed(300, 41);
        var p = QualityReport.Compute(train, QualityTestTables.Mixed(200, 42)).Privacy!;
        Assert.True(p.SyntheticMedianDcr > 0);
        Assert.Null(p.HoldoutMedianDcr);
        Assert.Null(p.OverfittingProtection);
        Assert.Equal(0, p.HoldoutRows);
        Assert.False(p.Flagged);
        Assert.True(QualityReport.Compute(train, train).Privacy!.Flagged);
    }
}
