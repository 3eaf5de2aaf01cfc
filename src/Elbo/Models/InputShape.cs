namespace Elbo.Models;

/// <summary>The shape of one example: channels × height × width (tabular or 2-D data: 1 × 1 × features).</summary>
public readonly record struct InputShape(int Channels, int Height, int Width)
{
    /// <summary>C·H·W.</summary>
    public int Features => Channels * Height * Width;

    /// <summary>"1x28x28".</summary>
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
