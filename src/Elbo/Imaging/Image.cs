namespace Elbo.Imaging;

/// <summary>An 8-bit raster ready for <see cref="PngWriter"/>: <see cref="Pixels"/> holds <see cref="Height"/> rows of
/// <see cref="Width"/> pixels, top row first, each pixel <see cref="Channels"/> bytes (grey, or interleaved R,G,B).</summary>
public sealed class Image
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied) as a <paramref name="width"/>×<paramref name="height"/>
    /// image with 1 (grey) or 3 (RGB) channels.</summary>
    /// <exception cref="ArgumentException">A size is not positive, the channel count is not 1 or 3, or the pixel
    /// array has the wrong length.</exception>
    public Image(byte[] pixels, int width, int height, int channels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"Image size must be positive, got {width}x{height}.", nameof(width));
        if (channels is not (1 or 3))
            throw new ArgumentException($"An image has 1 (grey) or 3 (RGB) channels, got {channels}.", nameof(channels));
        if (pixels.Length != (long)width * height * channels)
            throw new ArgumentException(
                $"A {width}x{height} image with {channels} channel(s) needs {(long)width * height * channels} bytes, got {pixels.Length}.",
                nameof(pixels));
        Pixels = pixels;
        Width = width;
        Height = height;
        Channels = channels;
    }

    /// <summary>The pixel bytes, row-major, channels interleaved.</summary>
    public byte[] Pixels { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Bytes per pixel: 1 (grey) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>The PNG colour type matching <see cref="Channels"/>.</summary>
    public PngColor Color => Channels == 1 ? PngColor.Grey : PngColor.Rgb;

    /// <summary>The byte of channel <paramref name="channel"/> at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public byte this[int x, int y, int channel = 0]
    {
        get
        {
            if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || (uint)channel >= (uint)Channels)
                throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}, {channel}) is outside a {Width}x{Height}x{Channels} image.");
            return Pixels[((long)y * Width + x) * Channels + channel];
        }
    }

    /// <summary>A copy enlarged by the integer <paramref name="factor"/> with nearest-neighbour sampling (every pixel
    /// becomes a factor×factor block); factor 1 returns this image.</summary>
    /// <exception cref="ArgumentException">The factor is below 1 or the result would be too large.</exception>
    public Image Upscale(int factor)
    {
        if (factor < 1)
            throw new ArgumentException($"Scale factor must be at least 1, got {factor}.", nameof(factor));
        if (factor == 1)
            return this;
        long width = (long)Width * factor, height = (long)Height * factor;
        if (width > int.MaxValue || height > int.MaxValue || width * height * Channels > Array.MaxLength)
            throw new ArgumentException($"A {Width}x{Height} image scaled by {factor} is too large.", nameof(factor));
        int w = (int)width, h = (int)height, ch = Channels;
        var pixels = new byte[w * h * ch];
        int sourceRow = Width * ch, targetRow = w * ch;
        for (int y = 0; y < Height; y++)
        {
            Span<byte> first = pixels.AsSpan(y * factor * targetRow, targetRow);
            ReadOnlySpan<byte> source = Pixels.AsSpan(y * sourceRow, sourceRow);
            for (int x = 0; x < Width; x++)
            {
                ReadOnlySpan<byte> pixel = source.Slice(x * ch, ch);
                for (int r = 0; r < factor; r++)
                    pixel.CopyTo(first.Slice((x * factor + r) * ch, ch));
            }
            for (int r = 1; r < factor; r++)
                first.CopyTo(pixels.AsSpan((y * factor + r) * targetRow, targetRow));
        }
        return new Image(pixels, w, h, ch);
    }

    /// <summary>Writes this image to <paramref name="path"/> as PNG, atomically (see <see cref="PngWriter.Write(string, Image)"/>).</summary>
    public void Save(string path) => PngWriter.Write(path, this);
}
