using System.Text.Json.Serialization;

namespace Elbo.Data;

/// <summary>
/// The shape of one example, the one shape type of the library: <see cref="Channels"/> × <see cref="Height"/> ×
/// <see cref="Width"/> values stored planar (C, H, W) like a PyTorch image tensor, and the <see cref="Kind"/> of data
/// they are. Images have 1 (grey) or 3 (RGB) channels; a table row or a point is 1 × 1 × features. Two shapes are equal
/// when their layouts are (the kind describes the data; it does not change what a model takes).
/// </summary>
/// <param name="Channels">Planes per example (1 grey or 3 RGB for images; 1 otherwise).</param>
/// <param name="Height">Rows per plane (1 for tables and points).</param>
/// <param name="Width">Columns per plane (the feature count for tables and points).</param>
public readonly record struct DataShape(int Channels, int Height, int Width)
{
    /// <summary>The kind of data, declared by the data source.</summary>
    public DataKind Kind { get; init; }

    /// <summary>An image shape of <paramref name="channels"/> planes of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public static DataShape Image(int channels, int height, int width) => new(channels, height, width) { Kind = DataKind.Image };

    /// <summary>A greyscale image shape 1×<paramref name="height"/>×<paramref name="width"/>.</summary>
    public static DataShape Grey(int height, int width) => Image(1, height, width);

    /// <summary>An RGB image shape 3×<paramref name="height"/>×<paramref name="width"/>.</summary>
    public static DataShape Rgb(int height, int width) => Image(3, height, width);

    /// <summary>A table row of <paramref name="features"/> values.</summary>
    public static DataShape Table(int features) => new(1, 1, features) { Kind = DataKind.Table };

    /// <summary>A point of <paramref name="dimensions"/> coordinates.</summary>
    public static DataShape Points(int dimensions) => new(1, 1, dimensions) { Kind = DataKind.Points };

    /// <summary>Values per example: Channels × Height × Width.</summary>
    [JsonIgnore]
    public int Features => checked(Channels * Height * Width);

    /// <summary>Whether the examples are pictures (and samples, reconstructions, manifolds can be drawn).</summary>
    [JsonIgnore]
    public bool IsImage => Kind == DataKind.Image;

    /// <summary>Whether the examples are points in the plane (and the ring plot can be drawn).</summary>
    [JsonIgnore]
    public bool IsPlanarPoints => Kind == DataKind.Points && Features == 2;

    /// <summary>This shape with its kind filled in when a config.json written before kinds were recorded left it
    /// unspecified: such files held IDX images (1 or 3 channels, more than one row), the ring's 2-D points, or other
    /// rows. The only place a kind is guessed from a shape.</summary>
    public DataShape WithLegacyKind() => Kind != DataKind.Unspecified ? this : this with
    {
        Kind = Channels is 1 or 3 && Height > 1 ? DataKind.Image
            : Channels == 1 && Height == 1 && Width == 2 ? DataKind.Points
            : DataKind.Table,
    };

    /// <summary>A guess for image data that arrives flattened: D = s² gives 1×s×s, D = 3s² gives 3×s×s (784 → 1×28×28,
    /// 3072 → 3×32×32). Only for data known to be square images; tabular data may factor by accident.</summary>
    public static bool TryInferSquare(int features, out DataShape shape)
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

    /// <summary>Throws <see cref="ArgumentException"/> unless this can be drawn as an image: 1 or 3 channels and
    /// positive sides.</summary>
    public void Validate(string? paramName = null)
    {
        if (Channels is not (1 or 3))
            throw new ArgumentException($"Images have 1 (grey) or 3 (RGB) channels, got shape {this}.", paramName);
        if (Height <= 0 || Width <= 0)
            throw new ArgumentException($"Image height and width must be positive, got shape {this}.", paramName);
        if ((long)Channels * Height * Width > int.MaxValue)
            throw new ArgumentException($"Image shape {this} is too large.", paramName);
    }

    /// <summary>Equal layouts (the kind is not compared).</summary>
    public bool Equals(DataShape other) => Channels == other.Channels && Height == other.Height && Width == other.Width;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Channels, Height, Width);

    /// <summary>"C×H×W", e.g. "1x28x28".</summary>
    public override string ToString() => Kind == DataKind.Table ? $"{Features} values per row" : $"{Channels}x{Height}x{Width}";
}
