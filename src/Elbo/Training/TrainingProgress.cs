namespace Elbo.Training;

/// <summary>What the trainer reports while it runs (a struct, so reporting allocates nothing).</summary>
/// <param name="Phase">"train" during an epoch's steps, "eval" while the test split is evaluated, "done" after the
/// epoch's outputs are written.</param>
/// <param name="Epoch">The 1-based epoch.</param>
/// <param name="Epochs">The last epoch of the run.</param>
/// <param name="Step">Steps done in this epoch.</param>
/// <param name="Steps">Steps per epoch.</param>
/// <param name="Loss">The running mean of the training −ELBO in this epoch, nats per example.</param>
/// <param name="ExamplesPerSecond">Training throughput in this epoch.</param>
public readonly record struct TrainingProgress(string Phase, int Epoch, int Epochs, int Step, int Steps, double Loss, double ExamplesPerSecond);
