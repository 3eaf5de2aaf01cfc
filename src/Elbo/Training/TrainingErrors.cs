namespace Elbo.Training;

/// <summary>The run folder already holds a run and neither resume nor force was asked for.</summary>
public sealed class RunExistsException(string message) : Exception(message);

/// <summary>The loss became NaN or infinite: training stopped at <see cref="Epoch"/>, <see cref="Step"/>; the last
/// checkpoint (from the end of the previous epoch) is kept.</summary>
public sealed class TrainingDivergedException(int epoch, int step, string what)
    : Exception($"the loss became {what} at epoch {epoch}, step {step}; stopped, the last good checkpoint is kept (try a lower --lr)")
{
    /// <summary>The 1-based epoch.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The 1-based step within the epoch.</summary>
    public int Step { get; } = step;
}
