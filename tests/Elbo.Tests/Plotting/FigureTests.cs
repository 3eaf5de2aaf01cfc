using Elbo.Plotting;
using static Elbo.Tests.Plotting.SvgTestHelpers;

namespace Elbo.Tests.Plotting;

public class FigureTests
{
    private static ScatterPlot ThreeCategories(int perCategory)
    {
        var g = new Generator(3);
        var plot = new ScatterPlot { Title = "points", XTitle = "x", YTitle = "y" };
        foreach (var name in new[] { "alpha", "beta & gamma", "<delta>" })
        {
            var x = new double[perCategory];
            var y = new double[perCategory];
            for (int i = 0; i < perCategory; i++)
            {
                x[i] = g.NextNormal();
                y[i] = 3 * g.NextNormal() + 10;
            }
            plot.Add(name, x, y);
        }
        return plot;
    }

    [Fact]
    public void ScatterHasOneCircleAPointAndOneLegendEntryACategory()
    {
        var doc = Parse(Figure.Svg([ThreeCategories(40)], "A scatter"));
        Assert.Equal(120, InGroups(doc, "points", "circle").Count());
        Assert.Equal(3, Groups(doc, "points").Count);
        Assert.Equal(["alpha", "beta & gamma", "<delta>"], LegendLabels(doc));
        var fills = Groups(doc, "points").Select(g => (string?)g.Attribute("fill")).ToList();
        Assert.Equal(Palette.Tableau10.Take(3), fills);
    }

    [Fact]
    public void PointsLieInsideThePlotArea()
    {
        var doc = Parse(Figure.Svg([ThreeCategories(50)]));
        var area = Groups(doc, "axes").Single().Element(Svg + "rect")!;
        double left = Number(area, "x"), top = Number(area, "y"), right = left + Number(area, "width"), bottom = top + Number(area, "height");
        foreach (var c in InGroups(doc, "points", "circle"))
        {
            Assert.InRange(Number(c, "cx"), left - 0.05, right + 0.05);
            Assert.InRange(Number(c, "cy"), top - 0.05, bottom + 0.05);
        }
    }

    [Fact]
    public void LinePanelsSideBySideShareOneLegend()
    {
        double[] x = [1, 2, 3, 4];
        LinePlot Panel(string title) => new LinePlot { Title = title, XTitle = "epoch", YTitle = "nats", IntegerX = true }
            .Add("train", x, [4, 3, 2.5, 2.2])
            .Add("test", x, [4.2, 3.3, 2.9, 2.8], dashed: true);
        var svg = Figure.Svg([Panel("one"), Panel("two"), Panel("three")], "curves", panelWidth: 300, panelHeight: 260);
        var doc = Parse(svg);
        Assert.Equal(3, Groups(doc, "panel").Count);
        Assert.Equal(6, doc.Descendants(Svg + "polyline").Count());
        Assert.Equal(3, doc.Descendants(Svg + "polyline").Count(p => p.Attribute("stroke-dasharray") is not null));
        Assert.Equal(["train", "test"], LegendLabels(doc));
        Assert.Equal(24, Groups(doc, "series").SelectMany(s => s.Descendants(Svg + "circle")).Count());
        Assert.True(Number(doc.Root!, "width") >= 900);
    }

    [Fact]
    public void TextIsAtLeastElevenPixels()
    {
        var doc = Parse(Figure.Svg([ThreeCategories(5), ThreeCategories(5)], "title", footnote: "small print"));
        var texts = doc.Descendants(Svg + "text").ToList();
        Assert.NotEmpty(texts);
        foreach (var t in texts) Assert.True(Number(t, "font-size") >= 11, $"text '{t.Value}' is {t.Attribute("font-size")} px");
    }

    [Fact]
    public void FiveThousandPointsStayUnderTwoHundredFiftyKilobytes()
    {
        string svg = Figure.Svg([ThreeCategories(1700)]);
        Assert.Equal(5100, InGroups(Parse(svg), "points", "circle").Count());
        Assert.True(svg.Length < 250_000, $"{svg.Length} characters");
    }

    [Fact]
    public void SharedAxesGiveEveryPanelTheSameTicks()
    {
        var near = new ScatterPlot().Add("a", [0, 1], [0, 1]);
        var far = new ScatterPlot().Add("a", [0, 10], [0, 10]);
        // The y tick labels of each panel (right-aligned texts of its axes group).
        List<string> YLabels(string svg) => Groups(Parse(svg), "axes")
            .Select(a => string.Join(",", a.Elements(Svg + "text").Where(t => (string?)t.Attribute("text-anchor") == "end").Select(t => t.Value))).ToList();
        var shared = YLabels(Figure.Svg([near, far], shareAxes: true));
        Assert.Equal(shared[0], shared[1]);
        var own = YLabels(Figure.Svg([near, far]));
        Assert.NotEqual(own[0], own[1]);
    }

    [Fact]
    public void NonFinitePointsAreLeftOutAndEmptyFiguresRefused()
    {
        var plot = new ScatterPlot().Add("a", [0, double.NaN, 2], [0, 1, double.PositiveInfinity]);
        Assert.Single(InGroups(Parse(Figure.Svg([plot])), "points", "circle"));
        Assert.Throws<ArgumentException>(() => Figure.Svg([]));
        Assert.Throws<ArgumentException>(() => new ScatterPlot().Add("a", [1, 2], [1]));
    }

    [Fact]
    public void ByLabelMakesOneCategoryPerLabelInOrder()
    {
        double[] x = [0, 1, 2, 3, 4, 5];
        int[] labels = [2, 0, 2, -1, 0, 2];
        var plot = ScatterPlot.ByLabel(x, x, labels, l => l < 0 ? "none" : $"class {l}");
        Assert.Equal(3, plot.CategoryCount);
        Assert.Equal(["none", "class 0", "class 2"], plot.Legend.Select(e => e.Label));
        Assert.Equal(Palette.Neutral, plot.Legend[0].Color);
        Assert.Equal(6, plot.PointCount);
    }
}
