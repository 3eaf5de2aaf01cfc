using Elbo.Data;
using Elbo.Models;
using Elbo.Serialization;

namespace Elbo.Training;

/// <summary>A run folder without a checkpoint.</summary>
public sealed class RunNotFoundException(string message) : Exception(message);

/// <summary>Loads a trained model from a run folder (config.json + model.safetensors), for sampling, reconstruction
/// and evaluation.</summary>
public static class TrainedRun
{
    /// <summary>The run's configuration and its model, in eval mode.</summary>
    public static (RunConfig Config, LatentVariableModel Model) Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new RunNotFoundException($"{directory}: no such run folder");
        if (!new RunFolder(directory).HasCheckpoint)
            throw new RunNotFoundException($"{directory}: no checkpoint (model.safetensors); train with `elbo train --out {directory}` first");
        return Load(Checkpoint.ConfigPath(directory), Checkpoint.WeightsPath(directory));
    }

    /// <summary>The configuration and model, in eval mode, of a checkpoint given as its two files: a run's
    /// config.json (<paramref name="configPath"/>, read only for a checkpoint of Elbo's first layout) and
    /// model.safetensors (<paramref name="weightsPath"/>), under any names.</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">A file is malformed, or the weights do not fit the configuration.</exception>
    public static (RunConfig Config, LatentVariableModel Model) Load(string configPath, string weightsPath)
    {
        ArgumentNullException.ThrowIfNull(configPath);
        ArgumentNullException.ThrowIfNull(weightsPath);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"{weightsPath}: no such file", weightsPath);
        var content = Checkpoint.Load(configPath, weightsPath);
        var c = content.Config;
        var model = ModelRegistry.Create(c.ModelOptions(), new Generator(c.Seed));
        Checkpoint.LoadModel(model, content, weightsPath);
        model.Eval();
        return (c, model);
    }

    /// <summary>The data of the run (<paramref name="data"/> when given, else the run's own <see cref="RunConfig.Dataset"/>),
    /// checked against the model: data of another shape throw an ArgumentException (a usage error).</summary>
    public static DatasetSplits LoadData(RunConfig config, string? data = null, string? cacheDir = null)
    {
        // The run's own data load as they were trained on (an image folder's preprocessing, split and limit); other
        // data get the run's image preprocessing only, so that the shapes can match.
        if (!string.IsNullOrEmpty(data) && config.Table is { } schema && DataSource.IsTable(data))
        {
            // another table file for a table run: every row of it, encoded with the run's schema, in both splits
            string path = Path.GetFullPath(data);
            var rows = Data.Tables.TableDataSource.Load(path, schema, out _);
            return new DatasetSplits(Path.GetFileNameWithoutExtension(path), Path.GetDirectoryName(path) ?? ".", rows, rows)
                { TableSchema = schema, ClassNames = schema.ClassNames };
        }
        var options = string.IsNullOrEmpty(data) ? config.DataOptions()
            : new DataOptions { Images = config.Images ?? new ImageFolderOptions(), Seed = config.Seed, Threads = config.Threads };
        var splits = DataSource.Resolve(string.IsNullOrEmpty(data) ? config.Dataset : data, cacheDir ?? config.CacheDir, options: options);
        var test = splits.Test;
        if (test.Channels != config.Input.Channels || test.Height != config.Input.Height || test.Width != config.Input.Width)
            throw new ArgumentException(
                $"the data {splits.Name} ({test.Channels}x{test.Height}x{test.Width}) do not match the run's model ({config.Input})");
        return splits;
    }
}
