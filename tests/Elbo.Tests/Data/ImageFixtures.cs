using StbImageWriteSharp;

namespace Elbo.Tests.Data;

/// <summary>Writes small pictures for tests with StbImageWriteSharp: PNG (grey, grey+alpha, RGB, RGBA) and JPEG, from a
/// function of (x, y, channel), plus corrupt files and a PNG whose header claims a huge size.</summary>
public static class ImageFixtures
{
    /// <summary>A PNG of <paramref name="channels"/> (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA) interleaved bytes.</summary>
    public static void Png(string path, int width, int height, int channels, Func<int, int, int, byte> pixel)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        new ImageWriter().WritePng(Pixels(width, height, channels, pixel), width, height, Components(channels), stream);
    }

    /// <summary>A JPEG (quality 95) of 1 or 3 channels.</summary>
    public static void Jpeg(string path, int width, int height, int channels, Func<int, int, int, byte> pixel)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        new ImageWriter().WriteJpg(Pixels(width, height, channels, pixel), width, height, Components(channels), stream, 95);
    }

    /// <summary>An RGB PNG of one colour.</summary>
    public static void Solid(string path, int width, int height, byte r, byte g, byte b) =>
        Png(path, width, height, 3, (_, _, c) => c == 0 ? r : c == 1 ? g : b);

    /// <summary>A file named like a PNG that is not one: the signature, then garbage.</summary>
    public static void Corrupt(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }

    /// <summary>A small real PNG whose IHDR is patched to claim <paramref name="width"/>×<paramref name="height"/>
    /// (decoding it for real would need width·height·4 bytes).</summary>
    public static void HugeHeader(string path, int width, int height)
    {
        Solid(path, 4, 4, 10, 20, 30);
        var bytes = File.ReadAllBytes(path);
        // 8-byte signature, 4-byte length, "IHDR", then width and height big-endian.
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        File.WriteAllBytes(path, bytes);
    }

    private static byte[] Pixels(int width, int height, int channels, Func<int, int, int, byte> pixel)
    {
        var data = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    data[(y * width + x) * channels + c] = pixel(x, y, c);
        return data;
    }

    private static ColorComponents Components(int channels) => channels switch
    {
        1 => ColorComponents.Grey,
        2 => ColorComponents.GreyAlpha,
        3 => ColorComponents.RedGreenBlue,
        4 => ColorComponents.RedGreenBlueAlpha,
        _ => throw new ArgumentOutOfRangeException(nameof(channels)),
    };
}
