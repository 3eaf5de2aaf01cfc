using System.Buffers.Binary;
using System.IO.Compression;

namespace Elbo.Data;

/// <summary>
/// Catches a PNG decompression bomb before stb decodes it: a file with a header of a modest size whose pixel data
/// (the IDAT chunks, one zlib stream) inflate to far more than that size holds — at deflate's 1032:1, 12 MB of
/// file inflate to 12 GB, all of which stb would inflate into memory (it takes extra data after the last scanline
/// without complaint). The data are inflated here into a small scratch buffer, counting the bytes and stopping as
/// soon as they pass the bound: the filtered scanlines the header's size, colour type, bit depth and interlacing
/// need (as the PNG specification lays them out), twice over plus 4 KiB. Files within the bound, and files whose data
/// are corrupt, are left to stb, which decodes or refuses them as before.
/// </summary>
internal static class PngInflationBound
{
    /// <summary>Whether the PNG in <paramref name="png"/> (positioned anywhere; left at its start) holds pixel data
    /// that inflate to more than <paramref name="limit"/> bytes, the bound for its header.</summary>
    public static bool Exceeded(Stream png, out long limit)
    {
        limit = 0;
        png.Position = 0;
        Span<byte> head = stackalloc byte[8];
        if (png.ReadAtLeast(head, 8, throwOnEndOfStream: false) < 8) return Rewind(png);
        var idat = new MemoryStream();
        bool header = false;
        while (true)
        {
            if (png.ReadAtLeast(head, 8, throwOnEndOfStream: false) < 8) break;
            long length = BinaryPrimitives.ReadUInt32BigEndian(head);
            uint type = BinaryPrimitives.ReadUInt32BigEndian(head[4..]);
            if (length > png.Length - png.Position) break;                 // a cut file: stb says what is wrong
            if (type == Ihdr)
            {
                if (length < 13) return Rewind(png);
                Span<byte> ihdr = stackalloc byte[13];
                png.ReadExactly(ihdr);
                limit = Bound(ihdr);
                header = true;
                png.Position += length - 13 + 4;
            }
            else if (type == Idat)
            {
                var start = idat.Length;
                idat.SetLength(start + length);
                png.ReadExactly(idat.GetBuffer().AsSpan((int)start, (int)length));
                idat.Position = idat.Length;
                png.Position += 4;
            }
            else if (type == Iend) break;
            else png.Position += length + 4;
        }
        if (!header || limit <= 0 || idat.Length < 2) return Rewind(png);
        idat.Position = 2;                                                    // the zlib header; stb checks it
        try
        {
            using var inflate = new DeflateStream(idat, CompressionMode.Decompress);
            var scratch = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = inflate.Read(scratch)) > 0)
                if ((total += n) > limit) return Rewind(png, exceeded: true);
        }
        catch (InvalidDataException)
        {
            // corrupt data: stb's to refuse
        }
        return Rewind(png);
    }

    private const uint Ihdr = 0x49484452, Idat = 0x49444154, Iend = 0x49454E44;

    private static bool Rewind(Stream png, bool exceeded = false)
    {
        png.Position = 0;
        return exceeded;
    }

    // Twice the bytes of the filtered scanlines of the header's picture, plus 4 KiB; 0 for a header that is not valid.
    private static long Bound(ReadOnlySpan<byte> ihdr)
    {
        long width = BinaryPrimitives.ReadUInt32BigEndian(ihdr), height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]);
        int depth = ihdr[8], interlace = ihdr[12];
        int channels = ihdr[9] switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (width == 0 || height == 0 || channels == 0 || depth is not (1 or 2 or 4 or 8 or 16)) return 0;
        long bits = (long)channels * depth;
        long raw = 0;
        if (interlace == 0) raw = Scanlines(width, height, bits);
        else
            foreach (var (x0, y0, dx, dy) in Adam7)
                raw += Scanlines((width - x0 + dx - 1) / dx, (height - y0 + dy - 1) / dy, bits);
        return 2 * raw + 4096;
    }

    // Rows of one filter byte and the row's pixels, rounded up to whole bytes; nothing for an empty pass.
    private static long Scanlines(long width, long height, long bits) => width <= 0 || height <= 0 ? 0 : height * (1 + (width * bits + 7) / 8);

    // Adam7's passes: first column and row, column and row steps.
    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
}
