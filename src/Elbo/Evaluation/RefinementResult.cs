namespace Elbo.Evaluation;

/// <summary>Per-example −ELBO before and after <see cref="PosteriorRefinement.Run"/>, nats, each of length N; both
/// evaluated with the same fixed noise (common random numbers), closed-form KL.</summary>
/// <param name="Steps">Adam steps per example.</param>
/// <param name="Samples">z samples per example in the evaluation.</param>
/// <param name="AmortizedNegElbo">−ELBO at the encoder's (μ, log σ²).</param>
/// <param name="RefinedNegElbo">−ELBO at the best iterate of the refinement (never above the amortized value).</param>
public sealed record RefinementResult(int Steps, int Samples, double[] AmortizedNegElbo, double[] RefinedNegElbo);
