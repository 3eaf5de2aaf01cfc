using System.Buffers.Binary;
using System.IO.Compression;
using Elbo.Imaging;

namespace Elbo.Reporting;

/// <summary>The size of a PNG image, and a check that a PNG file is whole. Browsers draw a damaged PNG without
/// complaint (a truncated file, a bad checksum or corrupt pixel data shows as a partial or garbled picture at its full
/// size), so the report checks every image before embedding it.</summary>
public readonly record struct PngHeader(int Width, int Height)
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads the size from the signature and IHDR chunk only; null when the bytes do not start like a PNG
    /// image (no signature, no IHDR chunk first, or a zero size).</summary>
    public static PngHeader? TryRead(ReadOnlySpan<byte> png)
    {
        // signature (8) | length (4) = 13 | "IHDR" | width (4) | height (4) | ...
        if (png.Length < 24 || !png[..8].SequenceEqual(Signature)) return null;
        if (BinaryPrimitives.ReadUInt32BigEndian(png[8..]) != 13 || !png.Slice(12, 4).SequenceEqual("IHDR"u8)) return null;
        uint width = BinaryPrimitives.ReadUInt32BigEndian(png[16..]), height = BinaryPrimitives.ReadUInt32BigEndian(png[20..]);
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue) return null;
        return new PngHeader((int)width, (int)height);
    }

    /// <summary>Checks that <paramref name="png"/> is a whole PNG image: the signature, every chunk within the file
    /// with a correct CRC, IHDR first and IEND last, and image data that inflate to exactly the rows the header
    /// promises (for non-interlaced images). Returns the size.</summary>
    /// <exception cref="FormatException">What is wrong, in a few words.</exception>
    public static PngHeader Validate(ReadOnlySpan<byte> png)
    {
        var header = TryRead(png) ?? throw new FormatException("not a PNG image (no PNG signature and IHDR chunk)");
        byte depth = png[24], colorType = png[25], interlace = png[28];
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0 || depth is not (1 or 2 or 4 or 8 or 16))
            throw new FormatException($"PNG header with colour type {colorType} and bit depth {depth} is invalid");

        using var idat = new MemoryStream();
        int at = 8;
        bool end = false;
        while (!end)
        {
            if (png.Length - at < 12) throw new FormatException("truncated PNG (the file ends before its IEND chunk)");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
            if (length > (uint)(png.Length - at - 12)) throw new FormatException("truncated PNG (a chunk runs past the end of the file)");
            var typeAndData = png.Slice(at + 4, 4 + (int)length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png[(at + 8 + (int)length)..]);
            string type = System.Text.Encoding.ASCII.GetString(typeAndData[..4]);
            if (Crc32.Compute(typeAndData) != crc) throw new FormatException($"corrupt PNG (bad CRC in the {type} chunk)");
            if (type == "IDAT") idat.Write(typeAndData[4..]);
            end = type == "IEND";
            at += 12 + (int)length;
        }
        if (idat.Length == 0) throw new FormatException("PNG without image data (no IDAT chunk)");

        long rowBytes = ((long)header.Width * channels * depth + 7) / 8;
        long expected = interlace == 0 ? header.Height * (rowBytes + 1) : -1;
        long inflated;
        try
        {
            idat.Position = 0;
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            inflated = CountBytes(z, expected < 0 ? long.MaxValue : expected + 1);
        }
        catch (InvalidDataException e)
        {
            throw new FormatException($"corrupt PNG image data ({e.Message})", e);
        }
        if (expected >= 0 && inflated != expected)
            throw new FormatException($"corrupt PNG image data ({inflated} bytes of rows, the header promises {expected})");
        return header;
    }

    private static long CountBytes(Stream s, long limit)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while (total < limit && (n = s.Read(buffer)) > 0) total += n;
        return total;
    }
}
