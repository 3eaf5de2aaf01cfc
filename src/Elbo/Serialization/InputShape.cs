namespace Elbo.Serialization;

/// <summary>The shape of one input example: channels, height and width (a flat vector of D features is 1 × 1 × D or
/// as the data loader describes it).</summary>
public sealed record InputShape
{
    /// <summary>The number of channels (1 for grayscale, 3 for RGB).</summary>
    public int Channels { get; init; }

    /// <summary>The height in pixels.</summary>
    public int Height { get; init; }

    /// <summary>The width in pixels.</summary>
    public int Width { get; init; }
}
