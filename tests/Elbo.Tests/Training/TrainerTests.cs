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
        AssertSameCheckpoint(whole, split);
    }

    // The tensors (model and Adam) and the training state of two checkpoints are identical; the files themselves
    // differ in the metrics line's timings.
    private static void AssertSameCheckpoint(string expectedDir, string actualDir)
    {
        var expected = Checkpoint.Load(expectedDir);
        var actual = Checkpoint.Load(actualDir);
        Assert.Equal(expected.State.Epoch, actual.State.Epoch);
        Assert.Equal(expected.State.Step, actual.State.Step);
        Assert.Equal(expected.State.RngState, actual.State.RngState);
        Assert.Equal(expected.ModelState.Keys, actual.ModelState.Keys);
        foreach (var (key, tensor) in expected.ModelState) Assert.True(tensor.Data.SequenceEqual(actual.ModelState[key].Data), key);
        Assert.Equal(expected.OptimizerState.Keys, actual.OptimizerState.Keys);
        foreach (var (key, tensor) in expected.OptimizerState) Assert.True(tensor.Data.SequenceEqual(actual.OptimizerState[key].Data), key);
    }

    // Runs the trainer and cancels it once it has reported `steps` training steps of epoch `epoch`.
    private sealed class StopAfter(int epoch, int steps, CancellationTokenSource source) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            if (p.Phase == "train" && p.Epoch == epoch && p.Step == steps) source.Cancel();
        }
    }

    [Fact]
    public void ARunStoppedInsideAnEpochResumesThereAndEndsAsAnUninterruptedOne()
    {
        string data = Data(), whole = Path.Combine(_dir, "whole"), split = Path.Combine(_dir, "split");
        var uninterrupted = Trainer.Create(Config(2, "conv"), data, whole, RunMode.New).Run();
        using var cancel = new CancellationTokenSource();
        var stop = Assert.Throws<TrainingStoppedException>(() =>
            Trainer.Create(Config(2, "conv"), data, split, RunMode.New).Run(new StopAfter(2, 1, cancel), cancel.Token));
        Assert.Equal((2, 1, 3, true), (stop.Epoch, stop.Batch, stop.Batches, stop.Saved));    // 40 examples, batch 16
        var stopped = Checkpoint.Load(split);
        Assert.Equal(1, stopped.State.Epoch);
        Assert.Equal(4, stopped.State.Step);
        Assert.Equal(1, stopped.State.InEpoch!.Batches);
        Assert.Equal([1], MetricsLog.Read(Path.Combine(split, "metrics.jsonl")).Select(m => m.Epoch));

        var resumed = Trainer.Create(Config(2, "conv"), data, split, RunMode.Resume);
        Assert.Equal((2, 1), (resumed.StartEpoch, resumed.StartBatch));
        var rest = resumed.Run();
        Assert.Equal(uninterrupted[1].TrainLoss, rest[0].TrainLoss);
        Assert.Equal(uninterrupted[1].TrainKl, rest[0].TrainKl);
        Assert.Equal(uninterrupted[1].TestLoss, rest[0].TestLoss);
        AssertSameCheckpoint(whole, split);
        Assert.Null(Checkpoint.Load(split).State.InEpoch);
        Assert.Equal([1, 2], MetricsLog.Read(Path.Combine(split, "metrics.jsonl")).Select(m => m.Epoch));
    }

    [Fact]
    public void AStopBeforeAnEpochsFirstStepKeepsThePreviousCheckpoint()
    {
        string data = Data(), run = Path.Combine(_dir, "run");
        Trainer.Create(Config(1), data, run, RunMode.New).Run();
        byte[] before = File.ReadAllBytes(Path.Combine(run, "model.safetensors"));
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var stop = Assert.Throws<TrainingStoppedException>(() => Trainer.Create(Config(2), data, run, RunMode.Resume).Run(cancel: cancel.Token));
        Assert.False(stop.Saved);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(run, "model.safetensors")));
    }

    [Fact]
    public void TheCheckpointAloneIsTheRunAKillBeforeConfigOrMetricsIsRepairedOnResume()
    {
        // A kill right after the checkpoint's rename: config.json and the epoch's metrics line are not yet written.
        string data = Data(), run = Path.Combine(_dir, "run");
        Trainer.Create(Config(2), data, run, RunMode.New).Run();
        string config = Path.Combine(run, "config.json"), metrics = Path.Combine(run, "metrics.jsonl");
        string configText = File.ReadAllText(config);
        File.Delete(config);
        File.WriteAllText(metrics, File.ReadLines(metrics).First() + "\n");

        var (loaded, _) = TrainedRun.Load(run);                     // usable as it is: sample, eval, report
        Assert.Equal(2, loaded.Epochs);
        var resumed = Trainer.Create(Config(3), data, run, RunMode.Resume);
        Assert.Equal(3, resumed.StartEpoch);
        Assert.Equal(configText, File.ReadAllText(config));         // rewritten from the checkpoint
        Assert.Equal([1, 2], MetricsLog.Read(metrics).Select(m => m.Epoch));
        resumed.Run();
        Assert.Equal([1, 2, 3], MetricsLog.Read(metrics).Select(m => m.Epoch));
    }

    [Fact]
    public void AFailedCheckpointWriteLeavesTheMetricsLogBehindNotAhead()
    {
        string data = Data(), run = Path.Combine(_dir, "run");
        Trainer.Create(Config(1), data, run, RunMode.New).Run();
        var trainer = Trainer.Create(Config(2), data, run, RunMode.Resume);
        // the checkpoint's rename cannot replace a folder: epoch 2's checkpoint write fails
        File.Move(Path.Combine(run, "model.safetensors"), Path.Combine(_dir, "saved.safetensors"));
        Directory.CreateDirectory(Path.Combine(run, "model.safetensors"));
        var failure = Assert.ThrowsAny<Exception>(() => trainer.Run());
        Assert.True(failure is IOException or UnauthorizedAccessException, failure.ToString());
        Assert.Equal([1], MetricsLog.Read(Path.Combine(run, "metrics.jsonl")).Select(m => m.Epoch));
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
    public void ALossThatBecomesNaNInTheFirstEpochSaysNoCheckpointExists()
    {
        string data = Data(), run = Path.Combine(_dir, "run");
        var trainer = Trainer.Create(Config(2), data, run, RunMode.New);
        ((Vae)trainer.Model).FcMu.Weight.Data.Fill(float.NaN);
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.Contains("before any checkpoint was written", e.Message);
        Assert.False(File.Exists(Path.Combine(run, "model.safetensors")));
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
        Assert.Contains("the checkpoint of epoch 1 is kept", e.Message);
    }
}
