namespace Elbo.Serialization;

/// <summary>A checkpoint as read by <see cref="Checkpoint.Load(string)"/>.</summary>
/// <param name="Config">The run configuration (config.json).</param>
/// <param name="ModelState">The model's state dict, by the module's dotted names, for <c>Module.LoadStateDict</c>.</param>
/// <param name="OptimizerState">The optimizer's state dict without the file's <c>optimizer.</c> prefix, for
/// <c>Optimizer.LoadStateDict</c> (empty when the checkpoint has none).</param>
/// <param name="OptimizerType">The optimizer's type name (e.g. <c>Adam</c>), or null when the checkpoint has none.</param>
/// <param name="State">The epoch, step and generator state, and the position inside an epoch a signal stopped.</param>
/// <param name="MetricsLine">The last finished epoch's line of metrics.jsonl as the checkpoint saved it (null for a
/// layout-1 checkpoint or one saved before any epoch ended).</param>
public sealed record CheckpointContent(
    RunConfig Config,
    OrderedDictionary<string, Tensor> ModelState,
    OrderedDictionary<string, Tensor> OptimizerState,
    string? OptimizerType,
    TrainingState State,
    string? MetricsLine = null);
