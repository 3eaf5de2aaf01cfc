using Elbo.Data;

namespace Elbo.Tests.Data;

public class RingDataTests
{
    [Fact]
    public void MeanRadiusIsOnePlusTheMeanNormOfZOverTen()
    {
        var train = RingData.Splits().Train;
        Assert.Equal(RingData.DefaultTrain, train.Count);
        double sum = 0, mx = 0, my = 0;
        var p = new float[2];
        for (int i = 0; i < train.Count; i++)
        {
            train.CopyImage(i, p);
            sum += Math.Sqrt(p[0] * p[0] + p[1] * p[1]);
            mx += p[0];
            my += p[1];
        }
        // E‖z‖ = √(π/2) for z ~ N(0, I₂); the noise adds about s²/2 = 0.00125.
        Assert.Equal(1 + Math.Sqrt(Math.PI / 2) / 10, sum / train.Count, 0.01);
        Assert.Equal(0, mx / train.Count, 0.03);
        Assert.Equal(0, my / train.Count, 0.03);
    }

    [Fact]
    public void PointsAreOneByOneByTwoFloatsWithoutNormalization()
    {
        var splits = RingData.Splits(train: 100, test: 30);
        Assert.Equal(DataShape.Points(2), splits.Shape);
        Assert.Equal(DataKind.Points, splits.Shape.Kind);
        Assert.Equal(30, splits.Test.Count);
        Assert.Equal(RingData.Normalization, splits.Train.Normalization);
        Assert.True(splits.Train.HasLabels);
        Assert.Equal("ring", splits.Name);
    }

    [Fact]
    public void TheSameSeedGivesTheSameDataAndTheSplitsDiffer()
    {
        var a = RingData.Splits(train: 500, test: 100);
        var b = RingData.Splits(train: 500, test: 100);
        Assert.Equal(a.Train.ToArray(), b.Train.ToArray());
        Assert.Equal(a.Test.Labels.ToArray(), b.Test.Labels.ToArray());
        Assert.NotEqual(a.Train.ToArray().AsSpan(0, 200).ToArray(), a.Test.ToArray().AsSpan(0, 200).ToArray());
        Assert.NotEqual(a.Train.ToArray(), RingData.Splits(train: 500, test: 100, seed: 2).Train.ToArray());
    }

    [Fact]
    public void LabelsAreTheAngleSectorOfZWhichTheNoiseRarelyChanges()
    {
        var data = RingData.Generate("t", 2000, 0.05, 5);
        var exact = RingData.Generate("t", 2000, 0, 5);
        Assert.Equal(exact.Labels.ToArray(), data.Labels.ToArray());
        var p = new float[2];
        int agree = 0;
        var counts = new int[RingData.Sectors];
        for (int i = 0; i < data.Count; i++)
        {
            exact.CopyImage(i, p);
            Assert.Equal(RingData.Sector(p[0], p[1]), exact.Label(i));
            data.CopyImage(i, p);
            if (RingData.Sector(p[0], p[1]) == data.Label(i)) agree++;
            counts[data.Label(i)]++;
        }
        Assert.True(agree > 0.9 * data.Count, $"{agree} of {data.Count}");
        Assert.All(counts, c => Assert.InRange(c, 180, 320));
    }

    [Fact]
    public void NoiselessPointsLieAtOnePlusTheNormOverTen()
    {
        var exact = RingData.Generate("t", 200, 0, 8);
        var p = new float[2];
        for (int i = 0; i < exact.Count; i++)
        {
            exact.CopyImage(i, p);
            double r = Math.Sqrt(p[0] * p[0] + p[1] * p[1]);
            Assert.True(r > 1, $"radius {r}");
        }
    }

    [Fact]
    public void SectorsRunCounterClockwiseFromThePositiveXAxis()
    {
        Assert.Equal(0, RingData.Sector(1, 0.01));
        Assert.Equal(1, RingData.Sector(0.01, 1));
        Assert.Equal(3, RingData.Sector(-1, 0.01));
        Assert.Equal(4, RingData.Sector(-1, -0.01));
        Assert.Equal(7, RingData.Sector(1, -0.01));
        Assert.Equal("0°–45°", RingData.SectorNames[0]);
    }

    [Fact]
    public void DataSourceResolvesRingAndKeepsItsName()
    {
        Assert.Equal("ring", DataSource.Canonical("Ring"));
        var splits = DataSource.Resolve("ring");
        Assert.Equal(RingData.DefaultTest, splits.Test.Count);
        Assert.Equal(RingData.Splits().Test.ToArray(), splits.Test.ToArray());
        Assert.Equal(RingData.SectorNames, ClassNames.For("ring"));
        Assert.Equal("Ankle boot", ClassNames.For("fashion-mnist")![9]);
        Assert.Null(ClassNames.For("/some/folder"));
    }
}
