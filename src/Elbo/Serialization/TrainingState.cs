namespace Elbo.Serialization;

/// <summary>Where a run stands, saved with its weights so <c>--resume</c> continues exactly.</summary>
/// <param name="Epoch">The number of epochs completed.</param>
/// <param name="Step">The number of optimizer steps taken.</param>
/// <param name="RngState">The training generator's state (<see cref="Generator.GetState"/>, 6 words), restored
/// with <see cref="Generator.SetState"/>: the key of the training noise, which is drawn per example from (this key,
/// the step, the example's place in the global batch) (<see cref="Objectives.ExampleNoise"/>).</param>
/// <param name="InEpoch">Null at an epoch's end; for a run stopped inside epoch <paramref name="Epoch"/> + 1 (by a
/// signal), how far that epoch had gone, so a resume finishes it as an uninterrupted run would have.</param>
public sealed record TrainingState(int Epoch, long Step, ulong[] RngState, EpochProgress? InEpoch = null);

/// <summary>An epoch's training so far: the batches done (its shuffled order is a function of the seed and the epoch,
/// so the rest can be replayed) and the running sums its metrics line is made of.</summary>
/// <param name="Batches">Training batches done in the epoch (at least 1, fewer than the epoch's).</param>
/// <param name="Seen">Examples in them.</param>
/// <param name="LossSum">Σ batch size × (reconstruction + KL) over them.</param>
/// <param name="ReconSum">Σ batch size × reconstruction.</param>
/// <param name="KlSum">Σ batch size × KL.</param>
/// <param name="BoundSum">Σ batch size × the objective's own bound, for objectives that have one (iwae).</param>
/// <param name="Seconds">Training seconds spent on them.</param>
public sealed record EpochProgress(int Batches, int Seen, double LossSum, double ReconSum, double KlSum, double? BoundSum, double Seconds);
