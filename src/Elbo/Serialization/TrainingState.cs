namespace Elbo.Serialization;

/// <summary>Where a run stands, saved with its weights so <c>--resume</c> continues exactly.</summary>
/// <param name="Epoch">The number of epochs completed.</param>
/// <param name="Step">The number of optimizer steps taken.</param>
/// <param name="RngState">The training generator's state (<see cref="Generator.GetState"/>, 6 words), restored
/// with <see cref="Generator.SetState"/>.</param>
public sealed record TrainingState(int Epoch, long Step, ulong[] RngState);
