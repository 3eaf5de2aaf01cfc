using Elbo.Data;
using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Objectives;
using Elbo.Engine.Nn;
using Elbo.Engine.Optim;
using Elbo.Serialization;

namespace Elbo.Tests.Serialization;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elbo-checkpoint").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Tensor X = Tensor.FromArray([0.5f, -1f, 2f, 1.5f, 0f, -0.5f, -2f, 1f, 0.25f, 1f, 1f, -1f], 4, 3);
    private static readonly Tensor Y = Tensor.FromArray([1f, 0f, -1f, 2f, 0.5f, 0.5f, 0f, -2f], 4, 2);

    private static void TrainStep(Module model, Optimizer optimizer)
    {
        optimizer.ZeroGrad();
        var loss = Functional.MseLoss(model.Forward(X), Y);
        loss.Backward();
        optimizer.Step();
    }

    private static int[] Bits(Module model) =>
        model.StateDict().Values.SelectMany(t => t.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    private static RunConfig SampleConfig() => new()
    {
        Model = ModelRegistry.Specs.Get("mlp"),
        Likelihood = LikelihoodRegistry.Specs.Get("bernoulli"),
        Latent = 2,
        Hidden = [512, 256],
        Channels = [32, 64],
        Input = DataShape.Grey(28, 28),
        Dataset = "mnist",
        Normalization = new NormalizationConfig { Kind = "standardize", Mean = [0.1307], Std = [0.3081] },
        Epochs = 10,
        BatchSize = 128,
        Lr = 1e-3,
        Beta = 0.5,
        Warmup = 3,
        FreeBits = 0.1,
        Kl = KlEstimator.MonteCarlo,
        Sigma = 0.1,
        Seed = ulong.MaxValue,
        Threads = 2,
        ElboVersion = "0.1.0",
    };

    [Fact]
    public void ResumingFromACheckpointGivesTheSameNextStepsAsAnUninterruptedRun()
    {
        // Uninterrupted: 3 steps, checkpoint, 2 more steps.
        var model = new Linear(3, 2, new Generator(1));
        var adam = new Adam(model.Parameters(), lr: 0.05);
        var rng = new Generator(42);
        for (int i = 0; i < 3; i++) TrainStep(model, adam);
        rng.NextNormal(); // leaves a spare normal in the state
        Checkpoint.Save(_dir, SampleConfig(), model, adam, new TrainingState(1, 3, rng.GetState()));
        for (int i = 0; i < 2; i++) TrainStep(model, adam);
        int[] expected = Bits(model);
        float expectedNormal = rng.NextNormal();
        ulong expectedBits = rng.NextUInt64();

        // Resumed: a differently initialized model and a fresh optimizer, restored from the checkpoint.
        var resumed = new Linear(3, 2, new Generator(99));
        var resumedAdam = new Adam(resumed.Parameters(), lr: 0.05);
        var content = Checkpoint.Restore(_dir, resumed, resumedAdam);
        var resumedRng = new Generator(0);
        resumedRng.SetState(content.State.RngState);
        for (int i = 0; i < 2; i++) TrainStep(resumed, resumedAdam);

        Assert.Equal(expected, Bits(resumed));
        Assert.Equal(5, resumedAdam.StepCount);
        Assert.Equal(1, content.State.Epoch);
        Assert.Equal(3, content.State.Step);
        Assert.Equal(BitConverter.SingleToInt32Bits(expectedNormal), BitConverter.SingleToInt32Bits(resumedRng.NextNormal()));
        Assert.Equal(expectedBits, resumedRng.NextUInt64());

        // The optimizer state matters: the weights alone, with a fresh Adam, take different steps.
        var weightsOnly = new Linear(3, 2, new Generator(99));
        var freshAdam = new Adam(weightsOnly.Parameters(), lr: 0.05);
        Checkpoint.Restore(_dir, weightsOnly, null);
        for (int i = 0; i < 2; i++) TrainStep(weightsOnly, freshAdam);
        Assert.NotEqual(expected, Bits(weightsOnly));
    }

    [Fact]
    public void TheWeightsFileHoldsModelKeysOptimizerKeysAndTheTrainingStateExactly()
    {
        var model = new Linear(3, 2, new Generator(1));
        var adam = new Adam(model.Parameters());
        TrainStep(model, adam);
        ulong[] rngState = [0, 1, ulong.MaxValue, 0x0123456789ABCDEF, 1, 0x3F800000];
        Checkpoint.Save(_dir, SampleConfig(), model, adam, new TrainingState(7, 1L << 40, rngState));

        var file = SafeTensorsFile.Read(Path.Combine(_dir, "model.safetensors"));
        Assert.Equal(
            ["weight", "bias", "optimizer.state.0.exp_avg", "optimizer.state.0.exp_avg_sq", "optimizer.state.0.step",
             "optimizer.state.1.exp_avg", "optimizer.state.1.exp_avg_sq", "optimizer.state.1.step", "optimizer.step_count"],
            file.Tensors.Keys);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("Adam", file.Metadata[Checkpoint.OptimizerTypeKey]);

        var content = Checkpoint.Load(_dir);
        Assert.Equal(rngState, content.State.RngState);
        Assert.Equal(7, content.State.Epoch);
        Assert.Equal(1L << 40, content.State.Step);
        Assert.Equal(["weight", "bias"], content.ModelState.Keys);
        Assert.Equal(model.Weight.ToArray(), content.ModelState["weight"].ToArray());
        Assert.Equal(adam.StateDict().Keys, content.OptimizerState.Keys);
        Assert.Equal("Adam", content.OptimizerType);
    }

    [Fact]
    public void ConfigJsonRoundTripsEveryField()
    {
        var config = SampleConfig();
        Checkpoint.Save(_dir, config, new Linear(3, 2, new Generator(1)), null, new TrainingState(0, 0, new Generator(5).GetState()));

        string json = File.ReadAllText(Path.Combine(_dir, "config.json"));
        Assert.Contains("\"batchSize\": 128", json);
        Assert.Contains("\"freeBits\": 0.1", json);
        Assert.Contains("\"seed\": 18446744073709551615", json);

        var read = Checkpoint.Load(_dir).Config;
        Assert.Equal(config.Hidden, read.Hidden);
        Assert.Equal(config.Channels, read.Channels);
        Assert.Equal(config.Input, read.Input);
        Assert.Equal(config.Normalization.Kind, read.Normalization.Kind);
        Assert.Equal(config.Normalization.Mean, read.Normalization.Mean);
        Assert.Equal(config.Normalization.Std, read.Normalization.Std);
        Assert.Equal(config.Sigma, read.Sigma);
        Assert.Equal(config.Seed, read.Seed);
        // Every field: the re-serialized configuration is the same text.
        Assert.Equal(RunConfigFile.ToJson(config), RunConfigFile.ToJson(read));
    }

    [Fact]
    public void AMalformedConfigGivesAOneLineErrorNamingTheFile()
    {
        string path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, "{\"latent\": \"two\"}");
        var ex = Assert.Throws<CheckpointFormatException>(() => RunConfigFile.Read(path));
        Assert.StartsWith(path + ": invalid run configuration:", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);

        File.WriteAllText(path, "null");
        Assert.Contains("holds null", Assert.Throws<CheckpointFormatException>(() => RunConfigFile.Read(path)).Message);
    }

    [Fact]
    public void RestoringIntoAModelOfAnotherShapeFailsWithoutChangingIt()
    {
        Checkpoint.Save(_dir, SampleConfig(), new Linear(3, 2, new Generator(1)), null, new TrainingState(0, 0, new Generator(1).GetState()));
        var other = new Linear(4, 2, new Generator(2));
        int[] before = Bits(other);

        var ex = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Restore(_dir, other, null));
        Assert.StartsWith(Path.Combine(_dir, "model.safetensors") + ": the checkpoint does not fit the model its configuration describes: size mismatch for weight", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(before, Bits(other));
    }

    [Fact]
    public void RestoringAnOptimizerFromACheckpointWithoutOneOrOfAnotherTypeFails()
    {
        var model = new Linear(3, 2, new Generator(1));
        Checkpoint.Save(_dir, SampleConfig(), model, null, new TrainingState(0, 0, new Generator(1).GetState()));
        Assert.Contains("has no optimizer state",
            Assert.Throws<CheckpointFormatException>(() => Checkpoint.Restore(_dir, model, new Adam(model.Parameters()))).Message);

        var adam = new Adam(model.Parameters());
        TrainStep(model, adam);
        Checkpoint.Save(_dir, SampleConfig(), model, adam, new TrainingState(0, 1, new Generator(1).GetState()));
        Assert.Contains("the checkpoint's optimizer is Adam, not AdamW",
            Assert.Throws<CheckpointFormatException>(() => Checkpoint.Restore(_dir, model, new AdamW(model.Parameters()))).Message);
    }

    [Fact]
    public void ASafetensorsFileWithoutElboMetadataIsNotACheckpoint()
    {
        SafeTensorsFile.Write(Path.Combine(_dir, "model.safetensors"), [new("weight", Tensor.Ones(2, 3))], new Dictionary<string, string> { ["format"] = "pt" });
        RunConfigFile.Write(Path.Combine(_dir, "config.json"), SampleConfig());
        var ex = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(_dir));
        Assert.Equal($"{Path.Combine(_dir, "model.safetensors")}: not an Elbo checkpoint: metadata elbo.checkpoint is missing", ex.Message);
    }

    [Fact]
    public void ACorruptWeightsFileIsReportedByTheCheckpointLoader()
    {
        var model = new Linear(3, 2, new Generator(1));
        Checkpoint.Save(_dir, SampleConfig(), model, null, new TrainingState(0, 0, new Generator(1).GetState()));
        string path = Path.Combine(_dir, "model.safetensors");
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x80;
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Restore(_dir, model, null));
        Assert.Equal($"{path}: checksum mismatch: the file is corrupt", ex.Message);
    }

    [Fact]
    public void TheConfigurationTravelsInsideTheWeightsFileAndConfigJsonIsItsCopy()
    {
        var config = SampleConfig();
        Checkpoint.Save(_dir, config, new Linear(3, 2, new Generator(1)), null, new TrainingState(2, 9, new Generator(5).GetState()), "{\"epoch\":2}");
        Assert.Equal(RunConfigFile.ToJson(config) + "\n", File.ReadAllText(Checkpoint.ConfigPath(_dir)));
        File.Delete(Checkpoint.ConfigPath(_dir));
        var content = Checkpoint.Load(_dir);
        Assert.Equal(RunConfigFile.ToJson(config), RunConfigFile.ToJson(content.Config));
        Assert.Equal("{\"epoch\":2}", content.MetricsLine);
        Assert.Null(content.State.InEpoch);
    }

    [Fact]
    public void APositionInsideAnEpochRoundTrips()
    {
        var inEpoch = new EpochProgress(3, 48, 1234.5678901234567, 1000.25, 234.3078901234567, null, 0.125);
        Checkpoint.Save(_dir, SampleConfig(), new Linear(3, 2, new Generator(1)), null, new TrainingState(1, 7, new Generator(5).GetState(), inEpoch));
        Assert.Equal(inEpoch, Checkpoint.Load(_dir).State.InEpoch);
    }

    [Fact]
    public void ALayoutOneCheckpointFromAnOlderElboStillLoads()
    {
        // Layout 1: the training state in the weights file's metadata, the configuration only in config.json.
        var model = new Linear(3, 2, new Generator(1));
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt", [Checkpoint.FormatVersionKey] = "1", [Checkpoint.EpochKey] = "4", [Checkpoint.StepKey] = "40",
            [Checkpoint.RngKey] = string.Join(",", new Generator(5).GetState().Select(w => w.ToString("x16"))),
        };
        SafeTensorsFile.Write(Checkpoint.WeightsPath(_dir), model.StateDict().ToList(), metadata);
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(_dir));
        Assert.Contains("config.json, which is missing", e.Message);
        RunConfigFile.Write(Checkpoint.ConfigPath(_dir), SampleConfig());
        var content = Checkpoint.Load(_dir);
        Assert.Equal((4, 40L), (content.State.Epoch, content.State.Step));
        Assert.Equal(SampleConfig().Hidden, content.Config.Hidden);
        Assert.Null(content.MetricsLine);
    }
}
