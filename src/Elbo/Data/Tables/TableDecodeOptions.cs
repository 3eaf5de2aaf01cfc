namespace Elbo.Data.Tables;

/// <summary>How <see cref="TableDecoder"/> turns encoded outputs into values.</summary>
public sealed record TableDecodeOptions
{
    /// <summary>Whether categorical and boolean slices hold probabilities (true) or logits (false, what a decoder
    /// emits).</summary>
    public bool Probabilities { get; init; }

    /// <summary>Draw categories and booleans from their distributions (needs a generator) instead of taking the most
    /// likely value.</summary>
    public bool Sample { get; init; }

    /// <summary>Clip numeric values to the range observed in the training rows.</summary>
    public bool Clip { get; init; }

    /// <summary>Make each value missing with its column's training missing rate (needs a generator).</summary>
    public bool ReproduceMissing { get; init; }
}
