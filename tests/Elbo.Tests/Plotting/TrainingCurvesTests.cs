using Elbo.Plotting;
using Elbo.Training;
using static Elbo.Tests.Plotting.SvgTestHelpers;

namespace Elbo.Tests.Plotting;

public class TrainingCurvesTests
{
    private static List<EpochMetrics> Metrics(int epochs) => Enumerable.Range(1, epochs).Select(e => new EpochMetrics
    {
        Epoch = e, TrainLoss = 300.0 / e, TrainRecon = 280.0 / e, TrainKl = 20, TestLoss = 310.0 / e, TestRecon = 289.0 / e, TestKl = 21,
    }).ToList();

    [Fact]
    public void ThreePanelsWithATrainAndATestSeriesEach()
    {
        var doc = Parse(TrainingCurves.Svg(Metrics(10)));
        Assert.Equal(3, Groups(doc, "panel").Count);
        Assert.Equal(6, doc.Descendants(Svg + "polyline").Count());
        Assert.Equal(["train", "test"], LegendLabels(doc));
        var titles = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("−ELBO", titles);
        Assert.Contains("KL(q(z|x) ‖ p(z))", titles);
        // 10 markers per series, 6 series.
        Assert.Equal(60, Groups(doc, "series").SelectMany(s => s.Descendants(Svg + "circle")).Count());
    }

    [Fact]
    public void SeriesFollowTheMetrics()
    {
        var doc = Parse(TrainingCurves.Svg(Metrics(4)));
        var first = doc.Descendants(Svg + "polyline").First();
        var ys = ((string)first.Attribute("points")!).Split(' ').Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        // A falling loss is drawn rising in SVG coordinates (y grows downwards).
        for (int i = 1; i < ys.Count; i++) Assert.True(ys[i] > ys[i - 1]);
    }

    [Fact]
    public void OneEpochDrawsMarkersAndNoEpochsIsRefused()
    {
        var doc = Parse(TrainingCurves.Svg(Metrics(1)));
        Assert.Empty(doc.Descendants(Svg + "polyline"));
        Assert.Equal(6, Groups(doc, "series").SelectMany(s => s.Descendants(Svg + "circle")).Count());
        Assert.Throws<ArgumentException>(() => TrainingCurves.Svg([]));
    }
}
