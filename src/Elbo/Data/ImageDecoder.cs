using StbImageSharp;

namespace Elbo.Data;

/// <summary>A picture could not be used; <see cref="Exception.Message"/> says why in a few words.</summary>
public sealed class ImageDecodeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Decodes one picture file with StbImageSharp (a C# port of stb_image: PNG, JPEG, BMP, GIF's first frame, and the
/// other formats stb reads) into 8-bit RGBA. The header is read first (<see cref="ImageInfo.FromStream"/>, which
/// decodes nothing) and a picture of more than <see cref="MaxPixels"/> is refused before any pixel memory is taken,
/// so a file claiming 9,000 × 9,000 pixels costs nothing but its entry in the skipped list (stb itself refuses a header
/// claiming more than 1 GB of pixels, such as 20,000 × 20,000, the same way: before decoding). A PNG whose pixel data
/// inflate to more than its header's size can need (a decompression bomb) is refused too, before stb inflates it
/// (<see cref="PngInflationBound"/>).
/// </summary>
public static class ImageDecoder
{
    /// <summary>The largest picture decoded: 64 megapixels (8192 × 8192; 256 MB as RGBA per decoding thread), above
    /// every common camera's output.</summary>
    public const long MaxPixels = 8192L * 8192;

    /// <summary>The file names taken as pictures (compared without case), as torchvision's ImageFolder takes them.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif"];

    /// <summary>Whether <paramref name="path"/> has one of <see cref="Extensions"/>.</summary>
    public static bool IsPicture(string path)
    {
        string ext = Path.GetExtension(path);
        foreach (string e in Extensions)
            if (string.Equals(ext, e, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>The picture at <paramref name="path"/> as RGBA bytes.</summary>
    /// <exception cref="ImageDecodeException">The file cannot be read, is not a picture stb decodes, is corrupt, or
    /// is larger than <see cref="MaxPixels"/>.</exception>
    public static (byte[] Rgba, int Width, int Height) DecodeRgba(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return DecodeRgba(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException($"cannot be read ({e.Message.Split('\n')[0].TrimEnd()})", e);
        }
    }

    /// <summary>The picture in <paramref name="encoded"/> (the bytes of a PNG, JPEG, … file) as RGBA bytes, refused from
    /// its header when it claims more than <paramref name="maxPixels"/> pixels.</summary>
    /// <exception cref="ImageDecodeException">Not a picture stb decodes, corrupt, or too large.</exception>
    public static (byte[] Rgba, int Width, int Height) DecodeRgba(byte[] encoded, long maxPixels = MaxPixels)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        using var stream = new MemoryStream(encoded, writable: false);
        return DecodeRgba(stream, maxPixels);
    }

    // The header first, then the pixels; stb's exceptions become ImageDecodeExceptions.
    private static (byte[] Rgba, int Width, int Height) DecodeRgba(Stream encoded, long maxPixels = MaxPixels)
    {
        using var stream = new EndClampedStream(encoded);
        try
        {
            var info = ImageInfo.FromStream(stream)
                ?? throw new ImageDecodeException("not a picture StbImageSharp decodes (PNG, JPEG, BMP, GIF): unknown or corrupt header, or one claiming more than stb's 1 GB of pixels");
            if (info.Width <= 0 || info.Height <= 0) throw new ImageDecodeException($"a header claiming {info.Width}×{info.Height} pixels");
            if ((long)info.Width * info.Height > maxPixels)
                throw new ImageDecodeException(maxPixels == MaxPixels
                    ? $"{info.Width}×{info.Height} pixels is more than the limit of {MaxPixels:N0} (8192×8192; refused without decoding)"
                    : $"{info.Width}×{info.Height} pixels is more than the limit of {maxPixels:N0} (refused without decoding)");
            bool png = IsPng(encoded);
            if (png && PngRawBytes(info) > DeflateMaxRatio * (encoded.Length + 1024))
                throw new ImageDecodeException($"a PNG header claiming {info.Width}×{info.Height} pixels, more than its {encoded.Length:N0} bytes can hold (refused without decoding)");
            if (png && PngInflationBound.Exceeded(encoded, out long limit))
                throw new ImageDecodeException($"a PNG whose pixel data inflate to more than the {limit:N0} bytes a {info.Width}×{info.Height} picture can need (a decompression bomb; refused without decoding)");
            stream.Position = 0;
            var image = ImageResult.FromStream(stream, ColorComponents.RedGreenBlueAlpha);
            if (image?.Data is null || image.Width != info.Width || image.Height != info.Height
                || image.Data.Length != (long)image.Width * image.Height * 4)
                throw new ImageDecodeException("the decoder returned no complete picture");
            return (image.Data, image.Width, image.Height);
        }
        catch (ImageDecodeException) { throw; }
        catch (Exception e) when (e is not (OutOfMemoryException or UnauthorizedAccessException) && (e is not IOException || encoded is MemoryStream))
        {
            // stb reports corrupt data by throwing (InvalidOperationException, and index errors or the end of the
            // stream on truncated data); a file's own read errors stay IOExceptions, said as such by the caller.
            throw new ImageDecodeException($"corrupt ({e.Message.Split('\n')[0].TrimEnd()})", e);
        }
    }

    /// <summary>Deflate's largest compression ratio (a run of one byte: 258 bytes per 2-bit code, about 1032:1), which
    /// bounds the raw pixel data any PNG file can hold.</summary>
    private const long DeflateMaxRatio = 1032;

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <summary>Whether the file starts with the PNG signature (the stream is left at its start).</summary>
    private static bool IsPng(Stream file)
    {
        Span<byte> head = stackalloc byte[8];
        file.Position = 0;
        int n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return n == head.Length && head.SequenceEqual(PngSignature);
    }

    /// <summary>The fewest bytes of filtered scanlines any PNG of <paramref name="info"/>'s size has: one filter byte and
    /// at least one bit per pixel in each row (a 1-bit palette or grey image; the header's colour type is not needed
    /// for a bound that never refuses a valid file).</summary>
    private static long PngRawBytes(ImageInfo info) => info.Height * (1 + ((long)info.Width + 7) / 8);

    /// <summary>
    /// A read-only view of a seekable stream whose seeks stop at its ends. StbImageSharp skips a segment by seeking
    /// forward and asks whether it is at the end by comparing Position with Length; a segment length pointing past
    /// the end of a truncated file puts a plain stream's Position beyond Length, where that test never holds, and
    /// stb's marker loops then read zeros for ever (a 12-byte JPEG and a cut PNG hung it). Clamping the seek
    /// restores stb's C semantics, where a skip past the end leaves the reader at the end.
    /// </summary>
    private sealed class EndClampedStream(Stream inner) : Stream
    {
        // the view does not own the stream: its owner closes it
        protected override void Dispose(bool disposing) { }

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = Math.Clamp(value, 0, inner.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override long Seek(long offset, SeekOrigin origin)
        {
            long from = origin switch { SeekOrigin.Begin => 0, SeekOrigin.Current => inner.Position, _ => inner.Length };
            return inner.Seek(Math.Clamp(from + offset, 0, inner.Length), SeekOrigin.Begin);
        }

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
