using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Elbo.Tests.Data;

/// <summary>PNG files written byte by byte (with valid chunk CRCs, so nothing but what is meant is wrong): a header
/// claiming a huge picture, a picture whose pixel data inflate to far more than it can hold (a decompression bomb: a
/// few tens of KB that inflate to tens of MB), and a valid Adam7-interlaced picture, which no writer of the tests'
/// libraries makes.</summary>
public static class PngBombs
{
    /// <summary>A grey 8-bit PNG of <paramref name="width"/>×<paramref name="height"/> whose IDAT holds
    /// <paramref name="inflatedBytes"/> zero bytes, deflated.</summary>
    public static byte[] Grey(int width, int height, long inflatedBytes)
    {
        var zeros = new byte[1 << 16];
        var data = new MemoryStream();
        using (var z = new ZLibStream(data, CompressionLevel.SmallestSize, leaveOpen: true))
            for (long left = inflatedBytes; left > 0; left -= zeros.Length) z.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
        return WriteDeflated(width, height, interlaced: false, data.ToArray());
    }

    private static byte[] Write(int width, int height, bool interlaced, byte[] raw)
    {
        var data = new MemoryStream();
        using (var z = new ZLibStream(data, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        return WriteDeflated(width, height, interlaced, data.ToArray());
    }

    private static byte[] WriteDeflated(int width, int height, bool interlaced, byte[] idat)
    {
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;         // bit depth
        header[9] = 0;         // grey
        header[12] = interlaced ? (byte)1 : (byte)0;
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", idat);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A valid grey 8-bit Adam7-interlaced PNG of <paramref name="width"/>×<paramref name="height"/> with
    /// the pixels of <paramref name="pixel"/>(x, y).</summary>
    public static byte[] InterlacedGrey(int width, int height, Func<int, int, byte> pixel)
    {
        (int X0, int Y0, int Dx, int Dy)[] passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
        var raw = new MemoryStream();
        foreach (var (x0, y0, dx, dy) in passes)
        {
            if (x0 >= width || y0 >= height) continue;            // an empty pass has no rows at all
            for (int y = y0; y < height; y += dy)
            {
                raw.WriteByte(0);                                 // filter: none
                for (int x = x0; x < width; x += dx) raw.WriteByte(pixel(x, y));
            }
        }
        return Write(width, height, interlaced: true, raw.ToArray());
    }

    /// <summary>A grey PNG whose header claims <paramref name="width"/>×<paramref name="height"/> and whose data hold one row.</summary>
    public static byte[] HugeHeader(int width, int height) => Grey(width, height, 1 + width);

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc(typed));
        png.Write(word);
    }

    // The CRC-32 of PNG chunks (ISO 3309, as zlib's crc32).
    private static uint Crc(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFF;
    }
}
