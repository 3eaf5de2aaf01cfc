using Elbo.Serialization;
using Elbo.Training;

namespace Elbo.Fuzz.Targets;

/// <summary>
/// A run's config.json through <see cref="RunConfigFile.Read"/>, then what a command does with it before building a
/// model: the training checks (<see cref="Trainer.Validate"/>), the model's options and their checks, the data and
/// objective settings, the label names. Refusals are <see cref="CheckpointFormatException"/> (the JSON) and
/// <see cref="SettingException"/> (a value out of range). A configuration that reads must also write back as the same
/// JSON (write, read, write: one text). Seeds: the config.json files of <see cref="TinyRuns"/> (pictures with class
/// names, a table with its schema) and of the default Fashion-MNIST run.
/// </summary>
internal sealed class ConfigTarget : FuzzTarget
{
    public override string Name => "config";

    public override string Description => "RunConfigFile.Read, Trainer.Validate, ModelOptions.Validate, DataOptions, a write/read round trip";

    public override string? Run(byte[] input, Scratch scratch)
    {
        string path = scratch.Write("config.json", input);
        RunConfig config;
        try
        {
            config = RunConfigFile.Read(path);
            Trainer.Validate(config);
            config.ModelOptions().Validate();
            config.DataOptions().Validate();
        }
        catch (Exception e) when (e is CheckpointFormatException or SettingException)
        {
            return e.Message;
        }
        _ = config.Input.Features;          // what every model and data check computes first
        _ = config.LabelNames();
        _ = config.ObjectiveOptions();
        string json = RunConfigFile.ToJson(config);
        string again = RunConfigFile.ToJson(RunConfigFile.FromJson(json, path));
        if (json != again) throw new InvalidOperationException($"config.json does not survive a write and a read:\n{json}\n---\n{again}");
        return null;
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds(Scratch scratch)
    {
        var runs = TinyRuns.Train(scratch);
        yield return ("cvae.json", File.ReadAllBytes(Checkpoint.ConfigPath(runs.Pictures)));
        yield return ("table.json", File.ReadAllBytes(Checkpoint.ConfigPath(runs.Table)));
        var fashion = new RunConfig
        {
            Model = Models.ModelRegistry.Specs.Get("mlp"), Likelihood = Likelihoods.LikelihoodRegistry.Specs.Get("bernoulli"),
            Latent = 20, Hidden = [400], Input = Data.DataShape.Grey(28, 28), Dataset = "fashion-mnist", Epochs = 10, BatchSize = 128,
            Lr = 1e-3, Seed = 1, ElboVersion = "0.1.0",
        };
        yield return ("fashion-mnist.json", System.Text.Encoding.UTF8.GetBytes(RunConfigFile.ToJson(fashion) + "\n"));
        var photos = fashion with
        {
            Model = Models.ModelRegistry.Specs.Get("conv"), Likelihood = Likelihoods.LikelihoodRegistry.Specs.Get("gaussian"), Sigma = 1,
            Objective = Objectives.ObjectiveRegistry.Specs.Get("iwae"), K = 5, Hidden = [], Channels = [32, 64], Latent = 16,
            Input = Data.DataShape.Rgb(32, 32), Dataset = "/data/photos", TestFraction = 0.1, Limit = 500, ClassNames = ["cat", "dog"],
            Images = new Data.ImageFolderOptions { ImageSize = 32, Crop = 148, Color = Data.ImageColor.Rgb, Background = Data.ImageBackground.White }.Resolve(),
            Gemm = new GemmRecord("managed", 20.5, 20.5, null, 2, "measured"), Beta = 1.5, Warmup = 2, FreeBits = 0.25, Kl = Objectives.KlEstimator.MonteCarlo,
        };
        yield return ("photos-iwae.json", System.Text.Encoding.UTF8.GetBytes(RunConfigFile.ToJson(photos) + "\n"));
    }
}
