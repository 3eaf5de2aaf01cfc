namespace Elbo.Serialization;

/// <summary>How the data were normalized before training, so evaluation and sampling can apply (and undo) the same
/// transform: a kind named by the data code and, where it needs them, per-channel statistics.</summary>
public sealed record NormalizationConfig
{
    /// <summary>The transform's name (e.g. <c>none</c>, <c>unit</c>, <c>standardize</c>), as the data code names it.</summary>
    public string Kind { get; init; } = "none";

    /// <summary>Per-channel means subtracted (null when the transform has none).</summary>
    public double[]? Mean { get; init; }

    /// <summary>Per-channel standard deviations divided by (null when the transform has none).</summary>
    public double[]? Std { get; init; }
}
