namespace Elbo.Training;

/// <summary>The run folder already holds a run and neither resume nor force was asked for.</summary>
public sealed class RunExistsException(string message) : Exception(message);

/// <summary>The loss became NaN or infinite: training stopped at <see cref="Epoch"/>, <see cref="Step"/>; the last
/// checkpoint, when there is one (<paramref name="checkpointEpoch"/> &gt; 0), is kept.</summary>
public sealed class TrainingDivergedException(int epoch, int step, string what, int checkpointEpoch)
    : Exception($"the loss became {what} at epoch {epoch}, step {step}; stopped, " +
        (checkpointEpoch > 0 ? $"the checkpoint of epoch {checkpointEpoch} is kept" : "before any checkpoint was written") + " (try a lower --lr)")
{
    /// <summary>The 1-based epoch.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The 1-based step within the epoch.</summary>
    public int Step { get; } = step;
}

/// <summary>Training stopped when asked to (a signal), between two steps. When <see cref="Saved"/>, the run folder holds
/// a checkpoint at that step, from which a resume finishes the epoch as an uninterrupted run would; otherwise (the
/// epoch had not begun) the previous epoch's checkpoint is the run's latest.</summary>
public sealed class TrainingStoppedException(int epoch, int batch, int batches, bool saved, CancellationToken token)
    : OperationCanceledException($"stopped in epoch {epoch} after step {batch} of {batches}", token)
{
    /// <summary>The 1-based epoch it stopped in.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The training batches of that epoch done.</summary>
    public int Batch { get; } = batch;

    /// <summary>The epoch's batch count.</summary>
    public int Batches { get; } = batches;

    /// <summary>Whether a checkpoint was saved at the stopping step.</summary>
    public bool Saved { get; } = saved;
}
