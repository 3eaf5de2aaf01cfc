using System.Text.Json;

namespace Elbo.Server.Contracts;

/// <summary><c>GET /api/model</c>: what the served run is and what it takes.</summary>
public sealed record ModelInfo
{
    /// <summary>The run folder.</summary>
    public required string Run { get; init; }

    /// <summary>The architecture's registry name (mlp, conv, ae, cvae).</summary>
    public required string Model { get; init; }

    /// <summary>The likelihood's registry name.</summary>
    public required string Likelihood { get; init; }

    /// <summary>The posterior family ("diagonal Gaussian", "point mass") and its parameter names.</summary>
    public required string Posterior { get; init; }

    /// <summary>The names of q's parameters, as <c>/api/encode</c> returns them.</summary>
    public required IReadOnlyList<string> PosteriorParameters { get; init; }

    /// <summary>The latent dimension L.</summary>
    public required int Latent { get; init; }

    /// <summary>The kind of data: image, table or points.</summary>
    public required string Kind { get; init; }

    /// <summary>Channels, height and width of one example (a table: 1 × 1 × the encoded width).</summary>
    public required int[] Shape { get; init; }

    /// <summary>Values per example as <c>values</c> takes them (C·H·W).</summary>
    public required int Features { get; init; }

    /// <summary>Whether the model needs a class label per example.</summary>
    public required bool Conditional { get; init; }

    /// <summary>The classes of a conditional model (0 otherwise).</summary>
    public required int Classes { get; init; }

    /// <summary>The label names by label, or null.</summary>
    public IReadOnlyList<string>? LabelNames { get; init; }

    /// <summary>The data the run trained on.</summary>
    public required string Dataset { get; init; }

    /// <summary>The examples of the served test split (what <c>test</c> indices refer to).</summary>
    public required int TestExamples { get; init; }

    /// <summary>The table's columns, their types, categories and training statistics (config.json's schema), or null.</summary>
    public JsonElement? Table { get; init; }

    /// <summary>KL per latent dimension from the run's eval.json, or null when the run has none.</summary>
    public double[]? KlPerDimension { get; init; }

    /// <summary>The latent dimensions, most informative first.</summary>
    public required int[] Ranking { get; init; }

    /// <summary>What the ranking follows: "eval.json" (its KL) or "explorer points" (the served test points').</summary>
    public required string RankingSource { get; init; }

    /// <summary>The request limits.</summary>
    public required ServerLimits Limits { get; init; }

    /// <summary>The run's whole config.json.</summary>
    public required JsonElement Config { get; init; }
}
