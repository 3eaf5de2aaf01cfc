using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Elbo.Serialization;

namespace Elbo.Imaging;

/// <summary>Encodes 8-bit greyscale and RGB images as PNG (signature, IHDR, a tEXt "Software" chunk, one IDAT holding
/// a zlib stream of the filtered scanlines, IEND), with no dependency beyond System.IO.Compression. Each scanline
/// gets the filter libpng's heuristic picks: the one whose output bytes, read as signed, have the smallest sum of
/// absolute values. Images are never interlaced.</summary>
public static class PngWriter
{
    /// <summary>The eight bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The value of the "Software" text chunk written into every file.</summary>
    public const string Software = "Elbo";

    /// <summary>Bytes per pixel of <paramref name="color"/>: 1 for <see cref="PngColor.Grey"/>, 3 for
    /// <see cref="PngColor.Rgb"/>.</summary>
    public static int ChannelCount(PngColor color) => color switch
    {
        PngColor.Grey => 1,
        PngColor.Rgb => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(color), color, "PNG colour must be Grey or Rgb."),
    };

    /// <summary>Encodes <paramref name="pixels"/> (row-major, top row first; for RGB interleaved R,G,B per pixel) as
    /// a PNG file image.</summary>
    /// <exception cref="ArgumentException">The size is not positive or the pixel count does not match it.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PngColor color) =>
        Encode(pixels, width, height, color, PngFilterMode.Adaptive);

    /// <summary>Encodes <paramref name="image"/> as a PNG file image.</summary>
    public static byte[] Encode(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(image.Pixels, image.Width, image.Height, image.Color, PngFilterMode.Adaptive);
    }

    /// <summary>Encodes the pixels and writes them to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>).</summary>
    public static void Write(string path, ReadOnlySpan<byte> pixels, int width, int height, PngColor color)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] png = Encode(pixels, width, height, color);
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    /// <summary>Encodes <paramref name="image"/> and writes it to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, Image image)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] png = Encode(image);
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    /// <summary>Encodes with the filter choice given by <paramref name="filter"/> (tests force each filter type).</summary>
    internal static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PngColor color, PngFilterMode filter)
    {
        int channels = ChannelCount(color);
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"PNG size must be positive, got {width}x{height}.", nameof(width));
        long rowLong = (long)width * channels;
        long expected = rowLong * height;
        if (rowLong + 1 > Array.MaxLength || (rowLong + 1) * height > Array.MaxLength)
            throw new ArgumentException($"PNG of {width}x{height} is too large to encode.", nameof(width));
        if (pixels.Length != expected)
            throw new ArgumentException(
                $"A {width}x{height} {color} PNG needs {expected} pixel bytes, got {pixels.Length}.", nameof(pixels));
        if (filter is < PngFilterMode.Adaptive or > PngFilterMode.Paeth)
            throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown filter mode.");

        using var output = new MemoryStream();
        output.Write(Signature);
        WriteHeader(output, width, height, color);
        WriteText(output, "Software", Software);
        WriteChunk(output, "IDAT"u8, Compress(pixels, (int)rowLong, height, channels, filter));
        WriteChunk(output, "IEND"u8, ReadOnlySpan<byte>.Empty);
        return output.ToArray();
    }

    private static void WriteHeader(Stream output, int width, int height, PngColor color)
    {
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;            // bit depth
        ihdr[9] = (byte)color;  // colour type
        ihdr[10] = 0;           // compression: deflate
        ihdr[11] = 0;           // filter method: adaptive with five types
        ihdr[12] = 0;           // no interlace
        WriteChunk(output, "IHDR"u8, ihdr);
    }

    private static void WriteText(Stream output, string keyword, string text)
    {
        // tEXt: Latin-1 keyword, a zero byte, Latin-1 text.
        byte[] data = new byte[keyword.Length + 1 + text.Length];
        Encoding.Latin1.GetBytes(keyword, data);
        Encoding.Latin1.GetBytes(text, data.AsSpan(keyword.Length + 1));
        WriteChunk(output, "tEXt"u8, data);
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Finish(Crc32.Append(Crc32.Append(Crc32.Initial, type), data)));
        output.Write(word);
    }

    private static byte[] Compress(ReadOnlySpan<byte> pixels, int rowBytes, int height, int bytesPerPixel, PngFilterMode mode)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // One candidate line per filter type, each with its filter-type byte in front.
            var candidates = new byte[5][];
            for (int f = 0; f < candidates.Length; f++)
            {
                candidates[f] = new byte[rowBytes + 1];
                candidates[f][0] = (byte)f;
            }
            ReadOnlySpan<byte> prior = default; // empty above the first row: the filters treat it as zeros
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<byte> row = pixels.Slice(y * rowBytes, rowBytes);
                byte[] line;
                if (mode == PngFilterMode.Adaptive)
                {
                    int best = 0;
                    long bestCost = long.MaxValue;
                    for (int f = 0; f < candidates.Length; f++)
                    {
                        Filter((PngFilterMode)f, row, prior, bytesPerPixel, candidates[f].AsSpan(1));
                        long cost = SignedAbsoluteSum(candidates[f].AsSpan(1));
                        if (cost < bestCost)
                        {
                            bestCost = cost;
                            best = f;
                        }
                    }
                    line = candidates[best];
                }
                else
                {
                    line = candidates[(int)mode];
                    Filter(mode, row, prior, bytesPerPixel, line.AsSpan(1));
                }
                zlib.Write(line);
                prior = row;
            }
        }
        return compressed.ToArray();
    }

    /// <summary>Filters one scanline. <paramref name="prior"/> is empty for the first row (read as zeros).</summary>
    internal static void Filter(PngFilterMode mode, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> output)
    {
        bool hasPrior = !prior.IsEmpty;
        switch (mode)
        {
            case PngFilterMode.None:
                row.CopyTo(output);
                break;
            case PngFilterMode.Sub:
                for (int i = 0; i < row.Length; i++)
                    output[i] = (byte)(row[i] - (i >= bpp ? row[i - bpp] : 0));
                break;
            case PngFilterMode.Up:
                for (int i = 0; i < row.Length; i++)
                    output[i] = (byte)(row[i] - (hasPrior ? prior[i] : 0));
                break;
            case PngFilterMode.Average:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= bpp ? row[i - bpp] : 0;
                    int up = hasPrior ? prior[i] : 0;
                    output[i] = (byte)(row[i] - ((left + up) >> 1));
                }
                break;
            case PngFilterMode.Paeth:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= bpp ? row[i - bpp] : 0;
                    int up = hasPrior ? prior[i] : 0;
                    int upLeft = hasPrior && i >= bpp ? prior[i - bpp] : 0;
                    output[i] = (byte)(row[i] - PaethPredictor(left, up, upLeft));
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a PNG filter type.");
        }
    }

    /// <summary>The Paeth predictor of the PNG specification (section 9.4): whichever of left, above and upper-left
    /// is closest to left + above - upper-left, ties in that order.</summary>
    internal static int PaethPredictor(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    private static long SignedAbsoluteSum(ReadOnlySpan<byte> line)
    {
        long sum = 0;
        foreach (byte b in line)
            sum += b < 128 ? b : 256 - b;
        return sum;
    }
}
