using System.Globalization;
using System.Text.Json;
using Elbo.Engine.Nn;
using Elbo.Engine.Optim;

namespace Elbo.Serialization;

/// <summary>
/// Saves and restores a training run in a folder. The checkpoint is one file, <c>model.safetensors</c>, replaced by one
/// rename: the model's state dict (under its own dotted names, so <c>model.load_state_dict</c> in PyTorch takes it
/// after dropping the <c>optimizer.</c> keys), the optimizer's state dict (keys prefixed with <c>optimizer.</c>) and, in
/// the metadata, the epoch, the step, the generator state, the position inside an epoch a signal stopped, the
/// <see cref="RunConfig"/> and the epoch's metrics line — all under the file's checksums, the header's included. A
/// kill at any moment leaves the previous checkpoint or the new one, whole. <c>config.json</c> is a copy of the
/// configuration written after it, for people and other tools; a resume rewrites it (and the metrics log) from the
/// checkpoint when a kill came between the two. Layout version 1 (configuration only in config.json) still loads.
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

    /// <summary>Metadata: the run configuration's JSON (layout 2 on).</summary>
    public const string ConfigKey = "elbo.config";

    /// <summary>Metadata: the metrics line of the last finished epoch (layout 2 on; absent before the first).</summary>
    public const string MetricsKey = "elbo.metrics";

    /// <summary>Metadata: how far the epoch after <see cref="EpochKey"/> had gone when a signal stopped it, as JSON
    /// (absent at an epoch's end).</summary>
    public const string InEpochKey = "elbo.in_epoch";

    private const string FormatVersion = "2";
    private const string LegacyFormatVersion = "1";

    /// <summary>The weights file of the checkpoint in <paramref name="directory"/>.</summary>
    public static string WeightsPath(string directory) => Path.Combine(directory, WeightsFileName);

    /// <summary>The configuration file of the checkpoint in <paramref name="directory"/>.</summary>
    public static string ConfigPath(string directory) => Path.Combine(directory, ConfigFileName);

    /// <summary>Saves a checkpoint in <paramref name="directory"/> (created if needed): the weights file, holding
    /// everything, then its copy of the configuration in config.json, each atomically. <paramref name="optimizer"/> may
    /// be null (a model saved for evaluation only); <paramref name="metricsLine"/> is the last finished epoch's line of
    /// metrics.jsonl, kept so a resume can restore it. Throws <see cref="ArgumentException"/> when a model key starts
    /// with <see cref="OptimizerPrefix"/> or the generator state does not have 6 words.</summary>
    public static void Save(string directory, RunConfig config, Module model, Optimizer? optimizer, TrainingState state, string? metricsLine = null)
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
            [ConfigKey] = RunConfigFile.ToJson(config),
        };
        if (metricsLine is not null) metadata[MetricsKey] = metricsLine;
        if (state.InEpoch is { } progress) metadata[InEpochKey] = JsonSerializer.Serialize(progress, ProgressJson);
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

    /// <summary>Reads a checkpoint whose two files are given by path: the weights <paramref name="weightsPath"/> (a
    /// model.safetensors, which since layout 2 holds the configuration too) and the run configuration
    /// <paramref name="configPath"/> (a config.json, read only for a layout-1 checkpoint), which may have other names
    /// and live in different folders. A malformed or non-Elbo file
    /// throws <see cref="CheckpointFormatException"/>; a missing one <see cref="FileNotFoundException"/>.</summary>
    public static CheckpointContent Load(string configPath, string weightsPath)
    {
        ArgumentNullException.ThrowIfNull(configPath);
        ArgumentNullException.ThrowIfNull(weightsPath);
        var content = SafeTensorsFile.Read(weightsPath);
        var meta = content.Metadata;

        var config = ConfigOf(meta, configPath, weightsPath);
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
        meta.TryGetValue(MetricsKey, out var metricsLine);
        var inEpoch = meta.TryGetValue(InEpochKey, out var progress) ? ParseProgress(progress, weightsPath) : null;
        return new CheckpointContent(config, modelState, optimizerState, optimizerType, new TrainingState(epoch, step, rng, inEpoch), metricsLine);
    }

    /// <summary>The run configuration of the checkpoint in <paramref name="directory"/>, reading only the weights file's
    /// header (for a layout-1 checkpoint, config.json). Errors as <see cref="Load(string)"/>.</summary>
    public static RunConfig ReadConfig(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string weightsPath = WeightsPath(directory);
        return ConfigOf(SafeTensorsFile.ReadMetadata(weightsPath), ConfigPath(directory), weightsPath);
    }

    // The configuration a checkpoint's metadata holds (layout 2) or points to (layout 1: the config.json at configPath).
    private static RunConfig ConfigOf(IReadOnlyDictionary<string, string> meta, string configPath, string weightsPath)
    {
        string version = Required(meta, FormatVersionKey, weightsPath);
        if (version != FormatVersion && version != LegacyFormatVersion)
            throw new CheckpointFormatException(weightsPath,
                $"checkpoint layout version {version} is not supported (this Elbo reads versions {LegacyFormatVersion} and {FormatVersion})");
        if (version == FormatVersion) return RunConfigFile.FromJson(Required(meta, ConfigKey, weightsPath), weightsPath);
        return File.Exists(configPath)
            ? RunConfigFile.Read(configPath)
            : throw new CheckpointFormatException(weightsPath, $"a layout-{LegacyFormatVersion} checkpoint keeps its configuration in {ConfigFileName}, which is missing");
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
        LoadModel(model, content, weightsPath);
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

    /// <summary>Loads <paramref name="content"/>'s model state into <paramref name="model"/>; a mismatch throws
    /// <see cref="CheckpointFormatException"/> naming <paramref name="weightsPath"/> and every problem on one line
    /// (missing and unexpected keys, shapes).</summary>
    public static void LoadModel(Module model, CheckpointContent content, string weightsPath)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            model.LoadStateDict(content.ModelState);
        }
        catch (ArgumentException ex)
        {
            throw new CheckpointFormatException(weightsPath, $"the checkpoint does not fit the model its configuration describes: {Flatten(ex.Message)}", ex);
        }
    }

    private static string Required(IReadOnlyDictionary<string, string> meta, string key, string path) =>
        meta.TryGetValue(key, out var value)
            ? value
            : throw new CheckpointFormatException(path, $"not an Elbo checkpoint: metadata {key} is missing");

    private static readonly JsonSerializerOptions ProgressJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static EpochProgress ParseProgress(string text, string path)
    {
        EpochProgress? progress;
        try
        {
            progress = JsonSerializer.Deserialize<EpochProgress>(text, ProgressJson);
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException(path, $"metadata {InEpochKey} is not valid: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
        if (progress is null || progress.Batches < 1 || progress.Seen < 1)
            throw new CheckpointFormatException(path, $"metadata {InEpochKey} does not describe a started epoch");
        return progress;
    }

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
