using System.Globalization;

namespace Elbo.Evaluation;

/// <summary>One row of a traversal picture: the latent dimension it sweeps and how much information that dimension
/// carries — its KL to the prior in nats averaged over the examples (VAE), or for an autoencoder (no KL) the variance
/// of its code over the examples.</summary>
/// <param name="Dimension">The swept latent dimension u (z_u).</param>
/// <param name="Kl">KL(q(z_u|x) ‖ N(0, 1)) averaged over the examples, nats; null for an autoencoder.</param>
/// <param name="MuVariance">The variance of μ_u over the examples.</param>
public sealed record TraversalRow(int Dimension, double? Kl, double MuVariance)
{
    /// <summary>"row 1: z7 (KL 3.21 nats)" for a VAE, "row 1: z7 (variance of the code 0.84)" for an autoencoder;
    /// <paramref name="row"/> counts from 1.</summary>
    public string Describe(int row) => Kl is double kl
        ? string.Create(CultureInfo.InvariantCulture, $"row {row}: z{Dimension} (KL {kl:0.00} nats)")
        : string.Create(CultureInfo.InvariantCulture, $"row {row}: z{Dimension} (variance of the code {MuVariance:0.00})");
}
