using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Objectives;
using Elbo.Serialization;
using Elbo.Tests.Data;
using Elbo.Training;

namespace Elbo.Tests.Training;

public class TrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elbo-trainer").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Data()
    {
        string data = Path.Combine(_dir, "data");
        IdxFixtures.WriteDataset(data, train: 40, test: 12, rows: 8, cols: 8);
        return data;
    }

    private static RunConfig Config(int epochs, string model = "mlp") => new()
    {
        Model = ModelRegistry.Specs.Get(model), Likelihood = LikelihoodRegistry.Specs.Get("bernoulli"), Latent = 3, Hidden = [16], Channels = [4, 8], Epochs = epochs, BatchSize = 16,
        Lr = 1e-2, Beta = 1, Kl = KlEstimator.Closed, Seed = 5,
    };

    [Fact]
    public void ATrainingRunWritesMetricsPicturesAndACheckpointPerEpoch()
    {
        string data = Data(), run = Path.Combine(_dir, "run");
        var metrics = Trainer.Create(Config(2), data, run, RunMode.New).Run();
        Assert.Equal(2, metrics.Count);
        foreach (var f in new[] { "metrics.jsonl", "samples_1.png", "samples_2.png", "reconstructions_2.png", "model.safetensors", "config.json" })
            Assert.True(File.Exists(Path.Combine(run, f)), f);
        Assert.Equal(new[] { 1, 2 }, MetricsLog.Read(Path.Combine(run, "metrics.jsonl")).Select(m => m.Epoch));
        Assert.All(metrics, m => Assert.True(double.IsFinite(m.TestLoss) && m.TestLoss > 0 && m.TrainKl >= 0));
        Assert.Equal(metrics[1].TrainLoss, metrics[1].TrainRecon + metrics[1].TrainKl, 3);
        Assert.True(metrics[1].TrainLoss < metrics[0].TrainLoss);
    }

    [Fact]
    public void AResumedRunMatchesAnUninterruptedOne()
    {
        string data = Data(), whole = Path.Combine(_dir, "whole"), split = Path.Combine(_dir, "split");
        var uninterrupted = Trainer.Create(Config(3, "conv"), data, whole, RunMode.New).Run();
        Trainer.Create(Config(1, "conv"), data, split, RunMode.New).Run();
        var resumed = Trainer.Create(Config(3, "conv"), data, split, RunMode.Resume);
        Assert.Equal(2, resumed.StartEpoch);
        var rest = resumed.Run();
        Assert.Equal(uninterrupted[2].TrainLoss, rest[1].TrainLoss);
        Assert.Equal(uninterrupted[2].TestLoss, rest[1].TestLoss);
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "model.safetensors")), File.ReadAllBytes(Path.Combine(split, "model.safetensors")));
    }

    [Fact]
    public void AFolderHoldingARunIsRefusedUnlessResumeOrForce()
    {
        string data = Data(), run = Path.Combine(_dir, "run");
        Trainer.Create(Config(1), data, run, RunMode.New).Run();
        var e = Assert.Throws<RunExistsException>(() => Trainer.Create(Config(1), data, run, RunMode.New));
        Assert.Contains("--resume", e.Message);
        Trainer.Create(Config(1), data, run, RunMode.Force).Run();
        Assert.Throws<RunExistsException>(() => Trainer.Create(Config(1), data, Path.Combine(_dir, "empty"), RunMode.Resume));
    }

    [Theory]
    [InlineData("latent")]
    [InlineData("lr")]
    [InlineData("k")]
    [InlineData("conv-size")]
    public void InvalidOptionsAreArgumentErrors(string what)
    {
        var c = what switch
        {
            "latent" => Config(1) with { Latent = 0 },
            "lr" => Config(1) with { Lr = -1 },
            "k" => Config(1) with { Objective = ObjectiveRegistry.Specs.Get("iwae"), K = 0 },
            _ => Config(1, "conv"),
        };
        string data = Data();
        if (what == "conv-size")
        {
            data = Path.Combine(_dir, "odd"); // 7x7: 7 -> 4 -> 2 encodes, 2 -> 4 -> 8 decodes: not 7
            IdxFixtures.WriteDataset(data, train: 8, test: 4, rows: 7, cols: 7);
        }
        Assert.ThrowsAny<ArgumentException>(() => Trainer.Create(c, data, Path.Combine(_dir, "run"), RunMode.New));
        Assert.False(Directory.Exists(Path.Combine(_dir, "run")));
    }

    [Fact]
    public void ALossThatBecomesNaNStopsAndKeepsTheLastCheckpoint()
    {
        string data = Data(), run = Path.Combine(_dir, "run");
        Trainer.Create(Config(1), data, run, RunMode.New).Run();
        byte[] good = File.ReadAllBytes(Path.Combine(run, "model.safetensors"));
        var trainer = Trainer.Create(Config(2), data, run, RunMode.Resume);
        ((Vae)trainer.Model).FcMu.Weight.Data.Fill(float.NaN);
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.Equal(2, e.Epoch);
        Assert.Equal(1, e.Step);
        Assert.Equal(good, File.ReadAllBytes(Path.Combine(run, "model.safetensors")));
    }
}
