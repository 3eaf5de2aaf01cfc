using System.Globalization;
using Elbo.Engine.Nn;
using Elbo.Engine.Optim;

namespace Elbo.Serialization;

/// <summary>
/// Saves and restores a training run in a folder: <c>model.safetensors</c> holds the model's state dict (under its
/// own dotted names, so <c>model.load_state_dict</c> in PyTorch takes it after dropping the <c>optimizer.</c> keys),
/// the optimizer's state dict (keys prefixed with <c>optimizer.</c>) and, in the metadata, the epoch, the step and
/// the generator state; <c>config.json</c> holds the <see cref="RunConfig"/>. Each file is written atomically, the
/// weights first, then the configuration.
/// </summary>
public static class Checkpoint
{
    /// <summary>The weights file's name in a checkpoint folder.</summary>
    public const string WeightsFileName = RunFolder.Weights;

    /// <summary>The configuration file's name in a checkpoint folder.</summary>
    public const string ConfigFileName = RunFolder.Config;

    /// <summary>The prefix of the optimizer's keys in the weights file.</summary>
    public const string OptimizerPrefix = "optimizer.";

    /// <summary>Metadata: the checkpoint layout's version.</summary>
    public const string FormatVersionKey = "elbo.checkpoint";

    /// <summary>Metadata: the number of epochs completed.</summary>
    public const string EpochKey = "elbo.epoch";

    /// <summary>Metadata: the number of optimizer steps taken.</summary>
    public const string StepKey = "elbo.step";

    /// <summary>Metadata: the generator state, six 16-digit hex words separated by commas.</summary>
    public const string RngKey = "elbo.rng";

    /// <summary>Metadata: the optimizer's type name (absent when the checkpoint has no optimizer state).</summary>
    public const string OptimizerTypeKey = "elbo.optimizer";

    private const string FormatVersion = "1";

    /// <summary>The weights file of the checkpoint in <paramref name="directory"/>.</summary>
    public static string WeightsPath(string directory) => Path.Combine(directory, WeightsFileName);

    /// <summary>The configuration file of the checkpoint in <paramref name="directory"/>.</summary>
    public static string ConfigPath(string directory) => Path.Combine(directory, ConfigFileName);

    /// <summary>Saves a checkpoint in <paramref name="directory"/> (created if needed): the weights file first, then
    /// config.json, each atomically. <paramref name="optimizer"/> may be null (a model saved for evaluation only).
    /// Throws <see cref="ArgumentException"/> when a model key starts with <see cref="OptimizerPrefix"/> or the
    /// generator state does not have 6 words.</summary>
    public static void Save(string directory, RunConfig config, Module model, Optimizer? optimizer, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(state);
        if (state.RngState is null || state.RngState.Length != 6)
            throw new ArgumentException("checkpoint: the generator state must have 6 words", nameof(state));

        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (key, tensor) in model.StateDict())
        {
            if (key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
                throw new ArgumentException($"checkpoint: the model's key '{key}' clashes with the optimizer prefix '{OptimizerPrefix}'", nameof(model));
            tensors.Add(new(key, tensor));
        }
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [FormatVersionKey] = FormatVersion,
            [EpochKey] = state.Epoch.ToString(CultureInfo.InvariantCulture),
            [StepKey] = state.Step.ToString(CultureInfo.InvariantCulture),
            [RngKey] = string.Join(",", state.RngState.Select(w => w.ToString("x16", CultureInfo.InvariantCulture))),
        };
        if (optimizer is not null)
        {
            foreach (var (key, tensor) in optimizer.StateDict()) tensors.Add(new(OptimizerPrefix + key, tensor));
            metadata[OptimizerTypeKey] = optimizer.GetType().Name;
        }

        SafeTensorsFile.Write(WeightsPath(directory), tensors, metadata);
        RunConfigFile.Write(ConfigPath(directory), config);
    }

    /// <summary>Reads the checkpoint in <paramref name="directory"/>. A malformed or non-Elbo file throws
    /// <see cref="CheckpointFormatException"/>; a missing one <see cref="FileNotFoundException"/>.</summary>
    public static CheckpointContent Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return Load(ConfigPath(directory), WeightsPath(directory));
    }

    /// <summary>Reads a checkpoint whose two files are given by path: the run configuration
    /// <paramref name="configPath"/> (a config.json) and the weights <paramref name="weightsPath"/> (a
    /// model.safetensors), which may have other names and live in different folders. A malformed or non-Elbo file
    /// throws <see cref="CheckpointFormatException"/>; a missing one <see cref="FileNotFoundException"/>.</summary>
    public static CheckpointContent Load(string configPath, string weightsPath)
    {
        ArgumentNullException.ThrowIfNull(configPath);
        ArgumentNullException.ThrowIfNull(weightsPath);
        var content = SafeTensorsFile.Read(weightsPath);
        var config = RunConfigFile.Read(configPath);
        var meta = content.Metadata;

        string version = Required(meta, FormatVersionKey, weightsPath);
        if (version != FormatVersion)
            throw new CheckpointFormatException(weightsPath, $"checkpoint layout version {version} is not supported (this Elbo reads version {FormatVersion})");
        if (!int.TryParse(Required(meta, EpochKey, weightsPath), NumberStyles.None, CultureInfo.InvariantCulture, out int epoch))
            throw new CheckpointFormatException(weightsPath, $"metadata {EpochKey} is '{meta[EpochKey]}', not a non-negative integer");
        if (!long.TryParse(Required(meta, StepKey, weightsPath), NumberStyles.None, CultureInfo.InvariantCulture, out long step))
            throw new CheckpointFormatException(weightsPath, $"metadata {StepKey} is '{meta[StepKey]}', not a non-negative integer");
        var rng = ParseRng(Required(meta, RngKey, weightsPath), weightsPath);

        var modelState = new OrderedDictionary<string, Tensor>();
        var optimizerState = new OrderedDictionary<string, Tensor>();
        foreach (var (key, tensor) in content.Tensors)
        {
            if (key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            {
                string inner = key[OptimizerPrefix.Length..];
                tensor.Name = inner;
                optimizerState.Add(inner, tensor);
            }
            else modelState.Add(key, tensor);
        }
        meta.TryGetValue(OptimizerTypeKey, out var optimizerType);
        return new CheckpointContent(config, modelState, optimizerState, optimizerType, new TrainingState(epoch, step, rng));
    }

    /// <summary>Reads the checkpoint in <paramref name="directory"/> and loads it into <paramref name="model"/> and,
    /// when given, <paramref name="optimizer"/> (which must be of the type saved). Nothing changes unless everything
    /// fits; a mismatch throws <see cref="CheckpointFormatException"/> naming the weights file and every problem on
    /// one line. Returns the content (configuration and training state; restore the generator with
    /// <c>generator.SetState(content.State.RngState)</c>).</summary>
    public static CheckpointContent Restore(string directory, Module model, Optimizer? optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        var content = Load(directory);
        string weightsPath = WeightsPath(directory);
        if (optimizer is not null)
        {
            if (content.OptimizerType is null)
                throw new CheckpointFormatException(weightsPath, "the checkpoint has no optimizer state to resume from");
            if (content.OptimizerType != optimizer.GetType().Name)
                throw new CheckpointFormatException(weightsPath,
                    $"the checkpoint's optimizer is {content.OptimizerType}, not {optimizer.GetType().Name}");
        }

        // Take copies of the current state so a failure in the second load leaves both as they were.
        var modelBefore = model.StateDict();
        try
        {
            model.LoadStateDict(content.ModelState);
        }
        catch (ArgumentException ex)
        {
            throw new CheckpointFormatException(weightsPath, $"the checkpoint does not fit the model: {Flatten(ex.Message)}", ex);
        }
        if (optimizer is not null)
        {
            try
            {
                optimizer.LoadStateDict(content.OptimizerState);
            }
            catch (ArgumentException ex)
            {
                model.LoadStateDict(modelBefore);
                throw new CheckpointFormatException(weightsPath, $"the checkpoint does not fit the optimizer: {Flatten(ex.Message)}", ex);
            }
        }
        return content;
    }

    private static string Required(IReadOnlyDictionary<string, string> meta, string key, string path) =>
        meta.TryGetValue(key, out var value)
            ? value
            : throw new CheckpointFormatException(path, $"not an Elbo checkpoint: metadata {key} is missing");

    private static ulong[] ParseRng(string text, string path)
    {
        var parts = text.Split(',');
        var words = new ulong[parts.Length];
        bool ok = parts.Length == 6;
        for (int i = 0; ok && i < parts.Length; i++)
            ok = parts[i].Length == 16 && ulong.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out words[i]);
        if (!ok) throw new CheckpointFormatException(path, $"metadata {RngKey} is not six 16-digit hex words separated by commas");
        return words;
    }

    /// <summary>The engine's multi-line load_state_dict message on one line.</summary>
    private static string Flatten(string message)
    {
        int paren = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        if (paren >= 0) message = message[..paren];
        var lines = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length <= 1 ? message.Trim() : string.Join("; ", lines.Skip(1));
    }
}
