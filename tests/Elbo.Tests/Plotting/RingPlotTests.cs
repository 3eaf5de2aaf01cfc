using Elbo.Data;
using Elbo.Models;
using Elbo.Plotting;
using static Elbo.Tests.Plotting.SvgTestHelpers;

namespace Elbo.Tests.Plotting;

public class RingPlotTests
{
    private static LatentVariableModel PointModel(int latent = 2) =>
        ModelRegistry.Create(new ModelOptions("mlp", DataShape.Table(2), latent, [8], [], "gaussian", 0.05f), new Generator(4));

    [Fact]
    public void TwoPanelsOnTheSameAxesWithDataAndSamples()
    {
        var data = RingData.Generate("ring/test", 400, 0.05, 9);
        var doc = Parse(RingPlot.Svg(data, PointModel(), count: 300));
        var panels = Groups(doc, "panel");
        Assert.Equal(2, panels.Count);
        foreach (var panel in panels)
            Assert.Equal(300, panel.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "points").SelectMany(g => g.Elements(Svg + "circle")).Count());
        var frames = Groups(doc, "axes").Select(a => a.Element(Svg + "rect")!).ToList();
        Assert.Equal(Number(frames[0], "width"), Number(frames[0], "height"));
        var ticks = Groups(doc, "axes").Select(a => string.Join(",", a.Elements(Svg + "text").Select(t => t.Value).Where(v => double.TryParse(v, out _)))).ToList();
        Assert.Equal(ticks[0], ticks[1]);
        Assert.Equal(RingData.SectorNames, LegendLabels(doc));
    }

    [Fact]
    public void SamplesAreDecoderMeansLabelledByTheSectorOfZ()
    {
        var model = PointModel();
        var (points, labels) = RingPlot.Samples(model, 64, seed: 3);
        Assert.Equal(128, points.Length);
        Assert.All(labels, l => Assert.InRange(l, 0, RingData.Sectors - 1));
        var again = RingPlot.Samples(model, 64, seed: 3);
        Assert.Equal(points, again.Points);
        Assert.Throws<ArgumentException>(() => RingPlot.Samples(ModelRegistry.Create(new ModelOptions("mlp", DataShape.Grey(2, 2), 2, [8], [], "bernoulli"), new Generator(1)), 4));
    }

    [Fact]
    public void RadiusStatisticsOfTheUnitCircle()
    {
        var points = new float[200];
        for (int i = 0; i < 100; i++)
        {
            points[2 * i] = (float)Math.Cos(i * 0.1);
            points[2 * i + 1] = (float)Math.Sin(i * 0.1);
        }
        var (radius, near) = RingPlot.RadiusStatistics(points);
        Assert.Equal(1, radius, 1e-6);
        Assert.Equal(1, near);
        Assert.Equal(0, RingPlot.RadiusStatistics(new float[] { 3, 0 }).NearCircle);
    }
}
