using Elbo.Training;

namespace Elbo.Tests.Training;

public class ScheduleAndMetricsTests
{
    [Fact]
    public void WarmupRampsLinearlyToBetaOverItsEpochs()
    {
        var w = new KlWarmup(beta: 2f, epochs: 2);
        Assert.Equal(0f, w.Weight(1, 0, 10));
        Assert.Equal(0.5f, w.Weight(1, 5, 10), 6);
        Assert.Equal(1f, w.Weight(2, 0, 10), 6);
        Assert.Equal(2f, w.Weight(3, 0, 10));
        Assert.Equal(2f, w.Weight(9, 3, 10));
        Assert.Equal(0.7f, new KlWarmup(0.7f, 0).Weight(1, 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KlWarmup(-1f, 0));
    }

    [Fact]
    public void MetricsLinesRoundTripWithTheDocumentedNames()
    {
        var m = new EpochMetrics { Epoch = 3, TrainSeconds = 1.5, TrainLoss = 250.25, TestLoss = 248, ExamplesPerSecond = 40000 };
        string line = m.ToJsonLine();
        foreach (var key in new[] { "epoch", "train_seconds", "train_loss", "train_recon", "train_kl", "test_loss", "test_recon", "test_kl", "examples_per_second" })
            Assert.Contains($"\"{key}\":", line);
        Assert.Equal(m, EpochMetrics.Parse(line, 1));
        Assert.Contains("line 7", Assert.Throws<FormatException>(() => EpochMetrics.Parse("{not json", 7)).Message);
    }

    [Fact]
    public void AppendKeepsEarlierEpochsAndReplacesLaterOnes()
    {
        string dir = Directory.CreateTempSubdirectory("elbo-metrics").FullName;
        try
        {
            string path = Path.Combine(dir, "metrics.jsonl");
            for (int e = 1; e <= 3; e++) MetricsLog.Append(path, new EpochMetrics { Epoch = e, TrainLoss = e });
            MetricsLog.Append(path, new EpochMetrics { Epoch = 2, TrainLoss = 20 }); // a resumed run redoes epoch 2
            var log = MetricsLog.Read(path);
            Assert.Equal(new[] { 1, 2 }, log.Select(m => m.Epoch));
            Assert.Equal(20, log[1].TrainLoss);
        }
        finally { Directory.Delete(dir, true); }
    }
}
