namespace Elbo.Server.Contracts;

/// <summary>Per example, in nats: the −ELBO and the importance-weighted −log p(x) with k samples of q (Burda et al.
/// 2015), as <c>elbo score</c> computes them; for a plain autoencoder <see cref="NegLogPx"/> is null and
/// <see cref="NegElbo"/> is the reconstruction term at the code.</summary>
/// <param name="K">The importance samples per example.</param>
/// <param name="Score">Which array ranks the examples: <c>neg_log_px</c> or <c>neg_elbo</c>.</param>
/// <param name="NegElbo">−ELBO per example.</param>
/// <param name="NegLogPx">−log p(x) per example, or null.</param>
public sealed record ScoreResponse(int K, string Score, double[] NegElbo, double[]? NegLogPx);
