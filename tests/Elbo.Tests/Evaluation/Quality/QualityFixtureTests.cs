using System.Globalization;
using System.Text.Json;
using Elbo.Evaluation.Quality;

namespace Elbo.Tests.Evaluation.Quality;

/// <summary>The whole report on Fixtures/real.csv, synthetic.csv and holdout.csv against expected.json, both written by
/// Fixtures/make_report_fixture.py, an independent numpy/scipy implementation of the SDMetrics definitions.</summary>
public class QualityFixtureTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Evaluation", "Quality", "Fixtures");

    // Columns a, b, c numeric (empty = missing), k categorical (empty = missing), f boolean; no quoting in the files.
    private static QualityTable Read(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(Dir, name)).Skip(1).Select(l => l.Split(',')).ToArray();
        double Number(string s) => s.Length == 0 ? double.NaN : double.Parse(s, CultureInfo.InvariantCulture);
        var kNames = lines.Select(l => l[3]).Where(s => s.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        return new QualityTable([
            QualityColumn.Numeric("a", lines.Select(l => Number(l[0])).ToArray()),
            QualityColumn.Numeric("b", lines.Select(l => Number(l[1])).ToArray()),
            QualityColumn.Numeric("c", lines.Select(l => Number(l[2])).ToArray()),
            QualityColumn.Categorical("k", lines.Select(l => l[3].Length == 0 ? -1 : kNames.IndexOf(l[3])).ToArray(), kNames),
            QualityColumn.Boolean("f", lines.Select(l => (bool?)(l[4] == "true")).ToArray()),
        ]);
    }

    [Fact]
    public void EveryScoreMatchesTheIndependentReference()
    {
        var r = QualityReport.Compute(Read("real.csv"), Read("synthetic.csv"), Read("holdout.csv"));
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "expected.json")));
        var e = expected.RootElement;
        foreach (var c in r.Columns)
            Assert.Equal(e.GetProperty("columnShapes").GetProperty(c.Column).GetDouble(), c.Score!.Value, 1e-12);
        Assert.Equal(["west"], r.Columns.Single(c => c.Column == "k").SyntheticOnlyCategories);
        Assert.Equal(10, r.Pairs.Count);
        foreach (var p in r.Pairs)
        {
            var x = e.GetProperty("pairs").GetProperty($"{p.Column1}|{p.Column2}");
            Assert.Equal(x.GetProperty("metric").GetString(), p.Metric);
            Assert.Equal(x.GetProperty("score").GetDouble(), p.Score!.Value, 1e-12);
        }
        Assert.Equal(e.GetProperty("columnShapesScore").GetDouble(), r.ColumnShapes!.Value, 1e-12);
        Assert.Equal(e.GetProperty("columnPairTrendsScore").GetDouble(), r.ColumnPairTrends!.Value, 1e-12);
        Assert.Equal(e.GetProperty("score").GetDouble(), r.Score!.Value, 1e-12);
        var privacy = r.Privacy!;
        Assert.Equal(e.GetProperty("syntheticMedianDcr").GetDouble(), privacy.SyntheticMedianDcr!.Value, 1e-6);
        Assert.Equal(e.GetProperty("holdoutMedianDcr").GetDouble(), privacy.HoldoutMedianDcr!.Value, 1e-6);
        Assert.Equal(e.GetProperty("closerThanHoldoutMedian").GetDouble(), privacy.CloserThanHoldoutMedian!.Value, 1e-12);
        Assert.Equal(e.GetProperty("closerToTraining").GetDouble(), privacy.CloserToTraining!.Value, 1e-12);
        Assert.Equal(e.GetProperty("overfittingProtection").GetDouble(), privacy.OverfittingProtection!.Value, 1e-12);
    }
}
