namespace Elbo.Evaluation;

/// <summary>Per-example results of <see cref="ImportanceSampling.Estimate"/>, each of length N (the examples).</summary>
/// <param name="LogPx">log p̂(x) = logmeanexp_k log w_k, nats.</param>
/// <param name="EffectiveSampleSize">(Σ w)² / Σ w² of the k weights (between 1 and k).</param>
/// <param name="Reconstruction">The mean over the k samples of −log p(x|z_k), nats (with the posterior proposal: the
/// ELBO's reconstruction term, averaged over k samples of q).</param>
/// <param name="MeanLogWeight">The mean over the k samples of log w_k (with the posterior proposal: a k-sample
/// Monte Carlo ELBO, never above <paramref name="LogPx"/> by Jensen).</param>
public sealed record ImportanceEstimates(double[] LogPx, double[] EffectiveSampleSize, double[] Reconstruction, double[] MeanLogWeight);
