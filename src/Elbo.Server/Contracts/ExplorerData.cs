namespace Elbo.Server.Contracts;

/// <summary><c>GET /api/explorer</c>: the latent explorer's points — the first test examples' locations of q, their
/// labels, the dimensions ranked by information and the principal-component plane.</summary>
public sealed record ExplorerData
{
    /// <summary>The test examples shown (the first of the split): point i is test example i.</summary>
    public required int Points { get; init; }

    /// <summary>Each point's location of q (μ), L values each.</summary>
    public required float[][] Mu { get; init; }

    /// <summary>Each point's label (-1: none).</summary>
    public required int[] Labels { get; init; }

    /// <summary>The label names by label, or null.</summary>
    public IReadOnlyList<string>? LabelNames { get; init; }

    /// <summary>The latent dimensions by decreasing <see cref="Information"/>.</summary>
    public required int[] Ranking { get; init; }

    /// <summary>Per dimension, what the ranking follows: KL in nats (a VAE), the variance of the code (an autoencoder).</summary>
    public required double[] Information { get; init; }

    /// <summary>"KL" or "variance".</summary>
    public required string InformationName { get; init; }

    /// <summary>"eval.json" or "explorer points".</summary>
    public required string InformationSource { get; init; }

    /// <summary>The principal-component plane of the points, or null for a latent space of one dimension.</summary>
    public PcaPlane? Pca { get; init; }
}

/// <summary>The plane of the first two principal components of the points' locations: z = mean + a·axes[0] + b·axes[1].</summary>
/// <param name="Mean">The mean location (L).</param>
/// <param name="Axes">The two unit axes (2 × L).</param>
/// <param name="Explained">Each axis' share of the variance.</param>
/// <param name="Coordinates">Each point's (a, b).</param>
public sealed record PcaPlane(double[] Mean, double[][] Axes, double[] Explained, double[][] Coordinates);
