using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Elbo.Tests.Imaging;

/// <summary>What <see cref="PngTestDecoder"/> read from a PNG file.</summary>
internal sealed record DecodedPng(
    int Width, int Height, int BitDepth, int ColorType, int Channels, byte[] Pixels, byte[] RowFilters,
    IReadOnlyList<string> ChunkTypes, IReadOnlyDictionary<string, string> Text);

/// <summary>A minimal, strict PNG decoder for 8-bit grey and RGB, non-interlaced: the test oracle for PngWriter.
/// It is written independently of the production code (its own bitwise CRC-32, its own filter arithmetic) and throws
/// <see cref="InvalidDataException"/> on anything out of order: bad signature, bad CRC, chunks in the wrong order,
/// trailing bytes, a wrong amount of image data, an unknown filter type.</summary>
internal static class PngTestDecoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static DecodedPng Decode(byte[] png)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature))
            throw new InvalidDataException("missing PNG signature");
        var types = new List<string>();
        var text = new Dictionary<string, string>();
        using var idat = new MemoryStream();
        int width = 0, height = 0, bitDepth = 0, colorType = -1;
        int pos = 8;
        bool ended = false;
        while (!ended)
        {
            if (pos + 12 > png.Length)
                throw new InvalidDataException("truncated chunk");
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            if (length < 0 || pos + 12L + length > png.Length)
                throw new InvalidDataException("bad chunk length");
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            ReadOnlySpan<byte> data = png.AsSpan(pos + 8, length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            uint actual = BitwiseCrc32(png.AsSpan(pos + 4, 4 + length));
            if (stored != actual)
                throw new InvalidDataException($"CRC mismatch in {type}: stored {stored:X8}, computed {actual:X8}");
            if (types.Count == 0 && type != "IHDR")
                throw new InvalidDataException("first chunk is not IHDR");
            types.Add(type);
            switch (type)
            {
                case "IHDR":
                    if (length != 13 || types.Count != 1) throw new InvalidDataException("bad IHDR");
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    bitDepth = data[8];
                    colorType = data[9];
                    if (data[10] != 0 || data[11] != 0 || data[12] != 0)
                        throw new InvalidDataException("unsupported compression, filter method or interlace");
                    break;
                case "IDAT":
                    if (types.Count >= 2 && types[^2] != "IDAT" && types.IndexOf("IDAT") != types.Count - 1)
                        throw new InvalidDataException("IDAT chunks are not consecutive");
                    idat.Write(data);
                    break;
                case "tEXt":
                    int zero = data.IndexOf((byte)0);
                    if (zero <= 0) throw new InvalidDataException("bad tEXt");
                    text[Encoding.Latin1.GetString(data[..zero])] = Encoding.Latin1.GetString(data[(zero + 1)..]);
                    break;
                case "IEND":
                    if (length != 0) throw new InvalidDataException("IEND has data");
                    ended = true;
                    break;
                default:
                    if ((type[0] & 0x20) == 0) throw new InvalidDataException($"unknown critical chunk {type}");
                    break;
            }
            pos += 12 + length;
        }
        if (pos != png.Length)
            throw new InvalidDataException("bytes after IEND");
        if (bitDepth != 8 || colorType is not (0 or 2))
            throw new InvalidDataException($"unsupported bit depth {bitDepth} / colour type {colorType}");
        if (width <= 0 || height <= 0)
            throw new InvalidDataException("bad size");

        int channels = colorType == 0 ? 1 : 3;
        int stride = width * channels;
        byte[] raw = Inflate(idat.ToArray());
        if (raw.Length != height * (stride + 1))
            throw new InvalidDataException($"image data is {raw.Length} bytes, expected {height * (stride + 1)}");

        var pixels = new byte[height * stride];
        var filters = new byte[height];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (stride + 1)];
            if (filter > 4) throw new InvalidDataException($"unknown filter type {filter} on row {y}");
            filters[y] = (byte)filter;
            for (int i = 0; i < stride; i++)
            {
                (int a, int b, int c) = Neighbours(pixels, stride, channels, y, i);
                int filtered = raw[y * (stride + 1) + 1 + i];
                pixels[y * stride + i] = (byte)(filtered + Predict(filter, a, b, c));
            }
        }
        return new DecodedPng(width, height, bitDepth, colorType, channels, pixels, filters, types, text);
    }

    /// <summary>The cost libpng's heuristic gives filter <paramref name="filter"/> on row <paramref name="y"/>: the sum of
    /// the filtered bytes read as signed values, in absolute value.</summary>
    public static long FilterCost(byte[] pixels, int width, int channels, int y, int filter)
    {
        int stride = width * channels;
        long sum = 0;
        for (int i = 0; i < stride; i++)
        {
            (int a, int b, int c) = Neighbours(pixels, stride, channels, y, i);
            int residual = (byte)(pixels[y * stride + i] - Predict(filter, a, b, c));
            sum += Math.Min(residual, 256 - residual);
        }
        return sum;
    }

    private static (int A, int B, int C) Neighbours(byte[] pixels, int stride, int channels, int y, int i)
    {
        int a = i >= channels ? pixels[y * stride + i - channels] : 0;
        int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
        int c = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels] : 0;
        return (a, b, c);
    }

    private static int Predict(int filter, int a, int b, int c)
    {
        switch (filter)
        {
            case 0: return 0;
            case 1: return a;
            case 2: return b;
            case 3: return (a + b) / 2;
            default:
                int p = a + b - c;
                int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                if (pa <= pb && pa <= pc) return a;
                if (pb <= pc) return b;
                return c;
        }
    }

    private static byte[] Inflate(byte[] zlib)
    {
        using var input = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>CRC-32 bit by bit from the polynomial, no table: independent of the production implementation.</summary>
    public static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }
}
