using System.Buffers.Binary;
using System.IO.Compression;
using Elbo.Imaging;

namespace Elbo.Fuzz;

/// <summary>
/// Writes PNG files in the forms Elbo's own <see cref="PngWriter"/> never produces, so the seeds of the png target
/// reach those paths of the decoder: any colour type (grey, RGB, palette with transparency, grey+alpha, RGBA), bit
/// depths 1 to 16, Adam7 interlacing, and each row with a chosen filter. Seeds only; nothing reads it back but the
/// decoder under test.
/// </summary>
internal static class PngEncoder
{
    /// <summary>A PNG of <paramref name="width"/> × <paramref name="height"/> whose samples are
    /// <paramref name="sample"/>(x, y, channel), already in the range of <paramref name="depth"/> bits (palette indices for
    /// colour type 3, whose <paramref name="palette"/> holds RGB triples and <paramref name="alphas"/> the tRNS entries).</summary>
    public static byte[] Encode(int width, int height, int colorType, int depth, bool interlaced, Func<int, int, int, int> sample,
        byte[]? palette = null, byte[]? alphas = null)
    {
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new ArgumentOutOfRangeException(nameof(colorType)) };
        var raw = new MemoryStream();
        if (!interlaced) WritePass(raw, width, height, 0, 0, 1, 1, channels, depth, sample);
        else
        {
            // Adam7: (x0, y0, dx, dy) of the seven passes
            int[,] passes = { { 0, 0, 8, 8 }, { 4, 0, 8, 8 }, { 0, 4, 4, 8 }, { 2, 0, 4, 4 }, { 0, 2, 2, 4 }, { 1, 0, 2, 2 }, { 0, 1, 1, 2 } };
            for (int p = 0; p < 7; p++)
                WritePass(raw, width, height, passes[p, 0], passes[p, 1], passes[p, 2], passes[p, 3], channels, depth, sample);
        }
        var png = new MemoryStream();
        png.Write(PngWriter.Signature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)depth;
        ihdr[9] = (byte)colorType;
        ihdr[12] = (byte)(interlaced ? 1 : 0);
        Chunk(png, "IHDR", ihdr);
        if (palette is not null) Chunk(png, "PLTE", palette);
        if (alphas is not null) Chunk(png, "tRNS", alphas);
        var deflated = new MemoryStream();
        using (var z = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true)) raw.WriteTo(z);
        Chunk(png, "IDAT", deflated.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    // One (sub)image: rows of the pixels (x0 + i·dx, y0 + j·dy), each row led by its filter type byte.
    private static void WritePass(Stream raw, int width, int height, int x0, int y0, int dx, int dy, int channels, int depth,
        Func<int, int, int, int> sample)
    {
        int columns = (width - x0 + dx - 1) / dx, rows = (height - y0 + dy - 1) / dy;
        if (columns <= 0 || rows <= 0) return;
        int bitsPerPixel = channels * depth, rowBytes = (columns * bitsPerPixel + 7) / 8, pixelBytes = Math.Max(1, bitsPerPixel / 8);
        var previous = new byte[rowBytes];
        for (int j = 0; j < rows; j++)
        {
            var row = new byte[rowBytes];
            int bit = 0;
            for (int i = 0; i < columns; i++)
                for (int c = 0; c < channels; c++)
                {
                    int v = sample(x0 + i * dx, y0 + j * dy, c);
                    if (depth == 16) { row[bit / 8] = (byte)(v >> 8); row[bit / 8 + 1] = (byte)v; }
                    else if (depth == 8) row[bit / 8] = (byte)v;
                    else row[bit / 8] |= (byte)((v & ((1 << depth) - 1)) << (8 - depth - bit % 8));
                    bit += depth;
                }
            int filter = j % 5;     // None, Sub, Up, Average, Paeth in turn
            raw.WriteByte((byte)filter);
            var filtered = new byte[rowBytes];
            for (int k = 0; k < rowBytes; k++)
            {
                int a = k >= pixelBytes ? row[k - pixelBytes] : 0, b = previous[k], cc = k >= pixelBytes ? previous[k - pixelBytes] : 0;
                filtered[k] = (byte)(row[k] - filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => Paeth(a, b, cc) });
            }
            raw.Write(filtered);
            previous = row;
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeAndData = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData, 4);
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32.Compute(typeAndData));
        png.Write(number);
    }
}
