using System.Buffers.Binary;

namespace Elbo.Reporting;

/// <summary>The size of a PNG image, read from its signature and IHDR chunk (the pixels are not decoded).</summary>
public readonly record struct PngHeader(int Width, int Height)
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads the header of <paramref name="png"/>; null when the bytes do not start like a PNG image (no
    /// signature, no IHDR chunk first, or a zero or absurd size).</summary>
    public static PngHeader? TryRead(ReadOnlySpan<byte> png)
    {
        // signature (8) | length (4) = 13 | "IHDR" | width (4) | height (4) | ...
        if (png.Length < 24 || !png[..8].SequenceEqual(Signature)) return null;
        if (BinaryPrimitives.ReadUInt32BigEndian(png[8..]) != 13 || !png.Slice(12, 4).SequenceEqual("IHDR"u8)) return null;
        uint width = BinaryPrimitives.ReadUInt32BigEndian(png[16..]), height = BinaryPrimitives.ReadUInt32BigEndian(png[20..]);
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue) return null;
        return new PngHeader((int)width, (int)height);
    }
}
