using Elbo.Evaluation.Quality;
using Elbo.Tests.Plotting;

namespace Elbo.Tests.Evaluation.Quality;

public class QualityFiguresTests
{
    [Fact]
    public void HistogramsAreWellFormedSvgWithOnePanelPerColumn()
    {
        var real = QualityTestTables.Mixed(400, 51);
        var synthetic = QualityTestTables.Mixed(300, 52);
        var result = QualityReport.Compute(real, synthetic, options: new QualityOptions { Privacy = false });
        var doc = SvgTestHelpers.Parse(QualityFigures.Histograms(real, synthetic, result, "Column shapes"));
        var panels = SvgTestHelpers.Groups(doc, "panel");
        Assert.Equal(5, panels.Count);
        Assert.Equal(["Real", "Synthetic"], SvgTestHelpers.LegendLabels(doc));
        // Numeric panels have 20 shared bins; bars appear for both series.
        Assert.InRange(SvgTestHelpers.InGroups(doc, "real", "rect").Count(), 40, 65); // at most 3 × 20 + 3 + 2
        Assert.Contains(panels[0].Descendants(SvgTestHelpers.Svg + "text"), t => t.Value.StartsWith("x — KSComplement 0.", StringComparison.Ordinal));
        // The colour panel: three categories, each with a real and a synthetic bar.
        var colour = panels[3];
        Assert.Equal(3, colour.Descendants(SvgTestHelpers.Svg + "g").Where(g => (string?)g.Attribute("class") == "real").Single().Elements().Count());
        Assert.Contains(colour.Descendants(SvgTestHelpers.Svg + "text"), t => t.Value == "green");
    }

    [Fact]
    public void ManyCategoriesAreCutToTheMostFrequentAndOther()
    {
        var codes = Enumerable.Range(0, 300).Select(i => i % 30).ToArray();
        var names = Enumerable.Range(0, 30).Select(i => $"c{i}").ToArray();
        var t = new QualityTable([QualityColumn.Categorical("many", codes, names)]);
        var doc = SvgTestHelpers.Parse(QualityFigures.Histograms(t, t, maxCategories: 8));
        var labels = SvgTestHelpers.Groups(doc, "axes").Single().Elements(SvgTestHelpers.Svg + "text").Select(e => e.Value).ToList();
        Assert.Contains("other (23)", labels);
        Assert.Equal(8, SvgTestHelpers.InGroups(doc, "synthetic", "rect").Count());
    }

    [Fact]
    public void AnEmptyColumnSaysSoInsteadOfDrawingBars()
    {
        var real = new QualityTable([QualityColumn.Numeric("gone", [double.NaN, double.NaN])]);
        var doc = SvgTestHelpers.Parse(QualityFigures.Histograms(real, real));
        Assert.Single(SvgTestHelpers.Groups(doc, "panel"));
        Assert.Empty(SvgTestHelpers.InGroups(doc, "real", "rect"));
        Assert.Contains(doc.Descendants(SvgTestHelpers.Svg + "text"), t => t.Value == "no observed values");
    }

    [Fact]
    public void CorrelationsDrawTwoNumericMatricesAndAScale()
    {
        var real = QualityTestTables.Mixed(400, 61);
        var result = QualityReport.Compute(real, QualityTestTables.ShuffledColumns(real, 62), options: new QualityOptions { Privacy = false });
        var doc = SvgTestHelpers.Parse(QualityFigures.Correlations(result, "Correlations")!);
        var maps = SvgTestHelpers.Groups(doc, "heatmap");
        Assert.Equal(2, maps.Count);
        Assert.All(maps, m => Assert.Equal(9, m.Descendants(SvgTestHelpers.Svg + "g").Single(g => (string?)g.Attribute("class") == "cells")
            .Elements(SvgTestHelpers.Svg + "rect").Count())); // x, y, z
        Assert.Single(SvgTestHelpers.Groups(doc, "colour-scale"));
        // x–y: strongly correlated in the real table (red), near 0 after shuffling (near white).
        var realCells = maps[0].Descendants(SvgTestHelpers.Svg + "text").Select(t => t.Value).ToList();
        var xy = result.Pairs.Single(p => p.Column1 == "x" && p.Column2 == "y");
        Assert.Contains(xy.RealCorrelation!.Value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), realCells);
    }

    [Fact]
    public void CorrelationsNeedTwoNumericColumns()
    {
        var t = new QualityTable([QualityColumn.Numeric("a", [1, 2, 3]), QualityColumn.Categorical("k", [0, 1, 0], ["p", "q"])]);
        Assert.Null(QualityFigures.Correlations(QualityReport.Compute(t, t)));
    }

    [Fact]
    public void TheColourScaleRunsBlueWhiteRed()
    {
        Assert.Equal("#ffffff", CorrelationFigure.Colour(0));
        Assert.Equal("#e15759", CorrelationFigure.Colour(1));
        Assert.Equal("#4e79a7", CorrelationFigure.Colour(-1));
        Assert.Equal("#d9d9d9", CorrelationFigure.Colour(double.NaN));
    }
}
