namespace Elbo.Imaging;

/// <summary>The shape of one image in a batch: <see cref="Channels"/> (1 grey or 3 RGB) planes of
/// <see cref="Height"/>×<see cref="Width"/>, stored planar (C, H, W) like a PyTorch image tensor.</summary>
/// <param name="Channels">1 (grey) or 3 (RGB).</param>
/// <param name="Height">Rows per image.</param>
/// <param name="Width">Columns per image.</param>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>A greyscale shape 1×<paramref name="height"/>×<paramref name="width"/>.</summary>
    public static ImageShape Grey(int height, int width) => new(1, height, width);

    /// <summary>An RGB shape 3×<paramref name="height"/>×<paramref name="width"/>.</summary>
    public static ImageShape Rgb(int height, int width) => new(3, height, width);

    /// <summary>Floats per image: Channels × Height × Width.</summary>
    public int Features => checked(Channels * Height * Width);

    /// <summary>A guess for image data that arrives flattened: D = s² gives 1×s×s, D = 3s² gives 3×s×s (784 → 1×28×28,
    /// 3072 → 3×32×32). Only for data known to be square images; tabular data may factor by accident.</summary>
    public static bool TryInferSquare(int features, out ImageShape shape)
    {
        shape = default;
        if (features <= 0)
            return false;
        int side = (int)Math.Round(Math.Sqrt(features));
        if ((long)side * side == features)
        {
            shape = Grey(side, side);
            return true;
        }
        if (features % 3 == 0)
        {
            side = (int)Math.Round(Math.Sqrt(features / 3));
            if ((long)side * side * 3 == features)
            {
                shape = Rgb(side, side);
                return true;
            }
        }
        return false;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless the channel count is 1 or 3 and both sides are positive.</summary>
    public void Validate(string? paramName = null)
    {
        if (Channels is not (1 or 3))
            throw new ArgumentException($"Images have 1 (grey) or 3 (RGB) channels, got shape {this}.", paramName);
        if (Height <= 0 || Width <= 0)
            throw new ArgumentException($"Image height and width must be positive, got shape {this}.", paramName);
        if ((long)Channels * Height * Width > int.MaxValue)
            throw new ArgumentException($"Image shape {this} is too large.", paramName);
    }

    /// <summary>"C×H×W", e.g. "1x28x28".</summary>
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
