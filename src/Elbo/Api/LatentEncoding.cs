namespace Elbo.Api;

/// <summary>The encoder's q(z|x) for a batch, as arrays with one row per example and one column per latent dimension.</summary>
/// <param name="Mu">The location of q: μ for a VAE, the code itself for a plain autoencoder. (N, L).</param>
/// <param name="LogVar">log σ² of a VAE's diagonal Gaussian, (N, L); null for a plain autoencoder, whose code has no
/// spread.</param>
public sealed record LatentEncoding(float[,] Mu, float[,]? LogVar);
