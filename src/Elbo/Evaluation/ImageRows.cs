using Elbo.Data;
using Elbo.Imaging;

namespace Elbo.Evaluation;

/// <summary>What the latent-space pictures share: the image shape of a model's data (refusing tabular data) and a row
/// layout whose first and last columns are set apart (decoding is <see cref="LatentDecoding"/>'s).</summary>
internal static class ImageRows
{
    /// <summary>White padding around and between tiles, in pixels before scaling.</summary>
    public const int Padding = 2;

    /// <summary>Width of the grey stripe that, with padding on both sides, sets the framing columns apart.</summary>
    public const int Stripe = 2;

    /// <summary>The grey of the separating stripe.</summary>
    public const float StripeValue = 0.5f;

    /// <summary>The picture shape of <paramref name="input"/>; throws ArgumentException for data that are not images
    /// (the data's <see cref="DataShape.Kind"/> says).</summary>
    public static DataShape ShapeOf(DataShape input)
    {
        if (!input.IsImage)
            throw new ArgumentException($"the run's data ({input}) are not images: nothing to draw");
        return input;
    }

    /// <summary>Lays <paramref name="rows"/> × <paramref name="columns"/> tiles (planar images, row-major) out as a
    /// picture with <see cref="Padding"/> white pixels around every tile. With <paramref name="framed"/> the first and
    /// last column are set apart from the others by a grey stripe in a wider gap (padding, stripe, padding).</summary>
    public static Image Compose(ReadOnlySpan<float> tiles, int rows, int columns, DataShape shape, bool framed, int scale)
    {
        shape.Validate(nameof(shape));
        int features = shape.Features;
        if (rows < 1 || columns < (framed ? 3 : 1) || tiles.Length != (long)rows * columns * features)
            throw new ArgumentException($"{tiles.Length} values are not {rows}×{columns} tiles of {shape}", nameof(tiles));
        int h = shape.Height, w = shape.Width, ch = shape.Channels, gap = Stripe + Padding;
        int width = columns * (w + Padding) + Padding + (framed ? 2 * gap : 0);
        int height = rows * (h + Padding) + Padding;
        var pixels = new byte[(long)width * height * ch];
        pixels.AsSpan().Fill(ImageGrid.ToByte(1f));
        byte stripe = ImageGrid.ToByte(StripeValue);
        for (int r = 0; r < rows; r++)
        {
            int top = Padding + r * (h + Padding);
            for (int c = 0; c < columns; c++)
            {
                int left = Padding + c * (w + Padding) + (framed && c > 0 ? gap : 0) + (framed && c == columns - 1 ? gap : 0);
                var tile = tiles.Slice((r * columns + c) * features, features);
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        for (int k = 0; k < ch; k++)
                            pixels[(((long)(top + y) * width) + left + x) * ch + k] = ImageGrid.ToByte(tile[k * h * w + y * w + x]);
            }
        }
        if (framed)
        {
            int first = Padding + w + Padding, last = width - (Padding + w + Padding) - Stripe;
            for (int y = 0; y < height; y++)
                for (int s = 0; s < Stripe; s++)
                    for (int k = 0; k < ch; k++)
                    {
                        pixels[((long)y * width + first + s) * ch + k] = stripe;
                        pixels[((long)y * width + last + s) * ch + k] = stripe;
                    }
        }
        return new Image(pixels, width, height, ch).Upscale(scale);
    }
}
