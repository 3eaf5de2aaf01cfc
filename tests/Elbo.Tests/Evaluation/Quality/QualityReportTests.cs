using Elbo.Evaluation.Quality;

namespace Elbo.Tests.Evaluation.Quality;

public class QualityReportTests
{
    [Fact]
    public void IdenticalTablesScoreOneEverywhere()
    {
        var t = QualityTestTables.Mixed(500, 1);
        var r = QualityReport.Compute(t, t, options: new QualityOptions { Privacy = false });
        Assert.Equal(1, r.Score!.Value, 1e-12);
        Assert.Equal(1, r.ColumnShapes!.Value, 1e-12);
        Assert.Equal(1, r.ColumnPairTrends!.Value, 1e-12);
        Assert.Equal(5, r.Columns.Count);
        Assert.Equal(10, r.Pairs.Count);
        Assert.All(r.Columns, c => Assert.Equal(1, c.Score!.Value, 1e-12));
        Assert.All(r.Pairs, p => Assert.Equal(1, p.Score!.Value, 1e-12));
        Assert.Null(r.Privacy);
    }

    [Fact]
    public void EachPairGetsTheMetricOfItsKinds()
    {
        var t = QualityTestTables.Mixed(200, 2);
        var r = QualityReport.Compute(t, t, options: new QualityOptions { Privacy = false });
        string Metric(string a, string b) => r.Pairs.Single(p => p.Column1 == a && p.Column2 == b).Metric;
        Assert.Equal("CorrelationSimilarity", Metric("x", "y"));
        Assert.Equal("ContingencySimilarity", Metric("x", "colour"));
        Assert.Equal("ContingencySimilarity", Metric("colour", "flag"));
        Assert.Equal(["KSComplement", "KSComplement", "KSComplement", "TVComplement", "TVComplement"], r.Columns.Select(c => c.Metric));
        var xy = r.Pairs.Single(p => p.Column1 == "x" && p.Column2 == "y");
        Assert.True(xy.RealCorrelation > 0.9);
        Assert.Null(r.Pairs.Single(p => p.Column2 == "colour" && p.Column1 == "x").RealCorrelation);
    }

    [Fact]
    public void ShufflingColumnsKeepsTheShapesButLowersThePairTrends()
    {
        var t = QualityTestTables.Mixed(2000, 3);
        var shuffled = QualityTestTables.ShuffledColumns(t, 4);
        var r = QualityReport.Compute(t, shuffled, options: new QualityOptions { Privacy = false });
        Assert.Equal(1, r.ColumnShapes!.Value, 1e-12);
        var xy = r.Pairs.Single(p => p.Column1 == "x" && p.Column2 == "y");
        Assert.True(xy.Score < 0.6, $"x–y similarity {xy.Score}"); // ρ ≈ .96 against ≈ 0
        Assert.True(r.Pairs.Single(p => p.Column1 == "x" && p.Column2 == "colour").Score < 0.7);
        Assert.True(r.Pairs.Single(p => p.Column1 == "colour" && p.Column2 == "flag").Score < 0.9);
        Assert.True(r.ColumnPairTrends < 0.85, $"pair trends {r.ColumnPairTrends}");
        Assert.Equal((1 + r.ColumnPairTrends!.Value) / 2, r.Score!.Value, 1e-12);
    }

    [Fact]
    public void TheOverallScoreIsTheMeanOfTheTwoProperties()
    {
        var real = QualityTestTables.Mixed(300, 5);
        var synthetic = QualityTestTables.Mixed(400, 6);
        var r = QualityReport.Compute(real, synthetic, options: new QualityOptions { Privacy = false });
        Assert.Equal(r.Columns.Average(c => c.Score!.Value), r.ColumnShapes!.Value, 1e-12);
        Assert.Equal(r.Pairs.Average(p => p.Score!.Value), r.ColumnPairTrends!.Value, 1e-12);
        Assert.Equal((r.ColumnShapes.Value + r.ColumnPairTrends.Value) / 2, r.Score!.Value, 1e-12);
        Assert.InRange(r.Score.Value, 0.8, 1); // two draws of one distribution
    }

    [Fact]
    public void AColumnAllMissingHasNoShapeScoreAndIsLeftOutOfTheMean()
    {
        var real = new QualityTable([QualityColumn.Numeric("a", [1, 2, 3, 4]), QualityColumn.Numeric("gone", [double.NaN, double.NaN, double.NaN, double.NaN])]);
        var synthetic = new QualityTable([QualityColumn.Numeric("a", [1, 2, 3, 4]), QualityColumn.Numeric("gone", [1, 2, 3, 4])]);
        var r = QualityReport.Compute(real, synthetic);
        var gone = r.Columns.Single(c => c.Column == "gone");
        Assert.Null(gone.Score);
        Assert.Equal(1, gone.RealMissing);
        Assert.Equal("no observed value in the real table", gone.Note);
        Assert.Equal(1, r.ColumnShapes!.Value, 1e-15);
        Assert.Null(r.Pairs.Single().Score);
        Assert.Null(r.ColumnPairTrends);
        Assert.Equal(1, r.Score!.Value, 1e-15);
    }

    [Fact]
    public void AConstantColumnHasAShapeButNoCorrelation()
    {
        var real = new QualityTable([QualityColumn.Numeric("c", [5, 5, 5, 5]), QualityColumn.Numeric("a", [1, 2, 3, 4]),
            QualityColumn.Categorical("k", [0, 1, 0, 1], ["p", "q"])]);
        var synthetic = new QualityTable([QualityColumn.Numeric("c", [5, 5, 5]), QualityColumn.Numeric("a", [1, 2, 3]),
            QualityColumn.Categorical("k", [0, 1, 0], ["p", "q"])]);
        var r = QualityReport.Compute(real, synthetic);
        Assert.Equal(1, r.Columns[0].Score!.Value, 1e-15);
        var ca = r.Pairs.Single(p => p.Column1 == "c" && p.Column2 == "a");
        Assert.Null(ca.Score);
        Assert.Contains("undefined in either table", ca.Note);
        // c binned at [4.5, 5.5] is one bin in both tables: the contingency with k is k's own TV complement, 1 − ½(⅙ + ⅙).
        Assert.Equal(1 - 1.0 / 6, r.Pairs.Single(p => p.Column1 == "c" && p.Column2 == "k").Score!.Value, 1e-12);
    }

    [Fact]
    public void ACategoryOnlyTheSyntheticTableHasCountsAgainstIt()
    {
        var real = new QualityTable([QualityColumn.Categorical("k", [0, 1, 0, 1], ["a", "b"])]);
        var synthetic = new QualityTable([QualityColumn.Categorical("k", [0, 1, 2, 2], ["b", "a", "new"])]);
        var r = QualityReport.Compute(real, synthetic);
        var k = r.Columns.Single();
        // Real a .5 b .5 new 0; synthetic (by name) b .25 a .25 new .5 → ½ (.25 + .25 + .5) = .5.
        Assert.Equal(0.5, k.Score!.Value, 1e-15);
        Assert.Equal(["new"], k.SyntheticOnlyCategories);
    }

    [Fact]
    public void TablesWithDifferentColumnsAreRefused()
    {
        var real = new QualityTable([QualityColumn.Numeric("a", [1, 2])]);
        Assert.Throws<ArgumentException>(() => QualityReport.Compute(real, new QualityTable([QualityColumn.Numeric("b", [1, 2])])));
        Assert.Throws<ArgumentException>(() => QualityReport.Compute(real, new QualityTable([QualityColumn.Categorical("a", [0, 0], ["x"])])));
        Assert.Throws<ArgumentException>(() => QualityColumn.Numeric("a", [1, double.PositiveInfinity]));
        Assert.Throws<ArgumentException>(() => QualityColumn.Categorical("a", [0, 2], ["x", "y"]));
        Assert.Throws<ArgumentException>(() => new QualityTable([QualityColumn.Numeric("a", [1]), QualityColumn.Numeric("b", [1, 2])]));
    }

    [Fact]
    public void TheResultRoundTripsThroughQualityJson()
    {
        var t = QualityTestTables.Mixed(300, 7);
        var r = QualityReport.Compute(t, QualityTestTables.Mixed(300, 8), QualityTestTables.Mixed(100, 9));
        string json = QualityResultFile.ToJson(r);
        Assert.Contains("\"columnPairTrends\":", json);
        Assert.Contains("\"kind\": \"numeric\"", json);
        Assert.Contains("\"correlationMethod\": \"pearson\"", json);
        Assert.Contains("\"syntheticMedianDcr\":", json);
        var back = QualityResultFile.FromJson(json, "quality.json");
        Assert.Equal(r.Score, back.Score);
        Assert.Equal(r.Pairs.Select(p => p.Score), back.Pairs.Select(p => p.Score));
        Assert.Equal(r.Columns.Select(c => c.Kind), back.Columns.Select(c => c.Kind));
        Assert.Equal(r.Privacy!.CloserThanHoldoutMedian, back.Privacy!.CloserThanHoldoutMedian);
        Assert.Throws<InvalidDataException>(() => QualityResultFile.FromJson("[1, 2]", "quality.json"));
    }

    [Fact]
    public void SpearmanIsUsedWhenAsked()
    {
        var real = QualityTestTables.Mixed(300, 81);
        var synthetic = QualityTestTables.Mixed(300, 82);
        var r = QualityReport.Compute(real, synthetic, options: new QualityOptions { CorrelationMethod = CorrelationMethod.Spearman, Privacy = false });
        var xz = r.Pairs.Single(p => p.Column1 == "x" && p.Column2 == "z");
        Assert.Equal(CorrelationSimilarity.Correlation(real.Find("x")!.Values, real.Find("z")!.Values, CorrelationMethod.Spearman), xz.RealCorrelation!.Value, 1e-15);
        Assert.NotEqual(CorrelationSimilarity.Correlation(real.Find("x")!.Values, real.Find("z")!.Values), xz.RealCorrelation!.Value);
        Assert.Equal(CorrelationMethod.Spearman, r.CorrelationMethod);
    }

    [Fact]
    public void AnEmptySyntheticTableHasNoScoresButDoesNotFail()
    {
        var real = QualityTestTables.Mixed(50, 83);
        var empty = new QualityTable(real.Columns.Select(c => c.Kind == QualityColumnKind.Numeric
            ? QualityColumn.Numeric(c.Name, [])
            : QualityColumn.Categorical(c.Name, [], c.Categories)));
        var r = QualityReport.Compute(real, empty, real);
        Assert.Null(r.Score);
        Assert.All(r.Columns, c => Assert.Null(c.Score));
        Assert.Null(r.Privacy!.SyntheticMedianDcr);
        Assert.Equal(0, r.Privacy.HoldoutMedianDcr);
        Assert.False(r.Privacy.Flagged);
    }
}
