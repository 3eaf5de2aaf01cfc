using System.Buffers.Binary;
using System.IO.Compression;

namespace Elbo.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: a 4-byte magic number <c>00 00 tt dd</c> (element type
/// <c>tt</c>, which must be 0x08 for unsigned bytes; <c>dd</c> dimensions), then <c>dd</c> big-endian 32-bit sizes,
/// then the elements. Files starting with the gzip header (1f 8b) are decompressed on the fly; others are read raw.
/// The file is validated completely: magic number, element type, number of dimensions, and the data length against
/// the sizes (a short file and trailing bytes are both errors). Every problem is a <see cref="DataFormatException"/>
/// naming the file.
/// </summary>
public static class IdxReader
{
    /// <summary>The magic number of an IDX file of uint8 images (N × rows × columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>The magic number of an IDX file of uint8 labels (N).</summary>
    public const int LabelsMagic = 0x00000801;

    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an IDX file of uint8 images (magic 0x00000803: N × rows × columns).</summary>
    public static IdxFile ReadImages(string path) => Read(path, expectedRank: 3, what: "image data");

    /// <summary>Reads an IDX file of uint8 labels (magic 0x00000801: N).</summary>
    public static IdxFile ReadLabels(string path) => Read(path, expectedRank: 1, what: "label data");

    /// <summary>Reads the IDX file at <paramref name="path"/> (gzip or raw). When <paramref name="expectedRank"/> is
    /// given, the file must have that many dimensions; <paramref name="what"/> names the contents in messages.</summary>
    /// <exception cref="DataFormatException">The file is not a valid IDX file of unsigned bytes.</exception>
    /// <exception cref="DataNotFoundException">The file does not exist or cannot be opened.</exception>
    public static IdxFile Read(string path, int? expectedRank = null, string what = "data")
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataNotFoundException($"{path}: file not found", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataNotFoundException($"{path}: permission denied", e);
        }
        using (file) return Read(file, path, expectedRank, what);
    }

    /// <summary>Reads an IDX file from <paramref name="stream"/> (gzip or raw); <paramref name="name"/> names it in
    /// messages. A stream that cannot seek is buffered in memory first.</summary>
    /// <exception cref="DataFormatException">The stream is not a valid IDX file of unsigned bytes.</exception>
    public static IdxFile Read(Stream stream, string name, int? expectedRank = null, string what = "data")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        if (!stream.CanSeek)
        {
            var buffered = new MemoryStream();
            stream.CopyTo(buffered);
            buffered.Position = 0;
            stream = buffered;
        }
        long start = stream.Position;
        Span<byte> head = stackalloc byte[2];
        int got = stream.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        stream.Position = start;
        bool gzip = got == 2 && head[0] == 0x1f && head[1] == 0x8b;
        try
        {
            if (!gzip) return Parse(stream, name, expectedRank, what, compressed: false);
            using var inflated = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            return Parse(inflated, name, expectedRank, what, compressed: true);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(name, $"corrupt gzip data ({OneLine(e.Message)})", e);
        }
    }

    private static IdxFile Parse(Stream s, string name, int? expectedRank, string what, bool compressed)
    {
        string after = compressed ? " after decompression" : "";
        Span<byte> magic = stackalloc byte[4];
        int got = s.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got == 0) throw new DataFormatException(name, $"empty file{after}, not an IDX file");
        if (got < 4)
            throw new DataFormatException(name, $"truncated: {got} bytes{after}, shorter than the 4-byte IDX magic number");
        int magicNumber = BinaryPrimitives.ReadInt32BigEndian(magic);
        int expectedMagic = expectedRank is int r ? (UnsignedByteType << 8) | r : 0;
        if (magic[0] != 0 || magic[1] != 0)
        {
            string expect = expectedRank is null ? "0x000008dd" : $"0x{expectedMagic:X8}";
            throw new DataFormatException(name, $"bad magic number 0x{magicNumber:X8}: not an IDX file (expected {expect})");
        }
        if (magic[2] != UnsignedByteType)
            throw new DataFormatException(name,
                $"unsupported IDX element type 0x{magic[2]:X2} ({TypeName(magic[2])}); only unsigned bytes (0x08) are supported");
        int rank = magic[3];
        if (rank == 0) throw new DataFormatException(name, "bad magic number: an IDX file with 0 dimensions");
        if (expectedRank is int want && rank != want)
            throw new DataFormatException(name,
                $"bad magic number 0x{magicNumber:X8}: {rank} dimensions where {what} needs {want} (magic 0x{expectedMagic:X8})");

        byte[] dimBytes = new byte[4 * rank];
        got = s.ReadAtLeast(dimBytes, dimBytes.Length, throwOnEndOfStream: false);
        if (got < dimBytes.Length)
            throw new DataFormatException(name,
                $"truncated: the header needs {4 + dimBytes.Length} bytes, found {4 + got}{after}");
        var dims = new int[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(dimBytes.AsSpan(4 * d));
            if (size > int.MaxValue) throw new DataFormatException(name, $"dimension {d} has an impossible size {size}");
            dims[d] = (int)size;
            elements *= size;
            if (elements > Array.MaxLength)
                throw new DataFormatException(name, $"sizes {string.Join(" × ", dims[..(d + 1)])} are too large to load");
        }
        long headerBytes = 4 + dimBytes.Length;
        string shape = string.Join(" × ", dims);

        var data = ReadUpTo(s, (int)elements, out int read);
        if (read < elements)
            throw new DataFormatException(name,
                $"truncated: expected {headerBytes + elements} bytes of {what} ({shape}){after}, found {headerBytes + read}");
        long extra = CountRemaining(s);
        if (extra > 0)
            throw new DataFormatException(name,
                $"trailing bytes: {extra} bytes after the {headerBytes + elements} bytes of {what} ({shape}){after}");
        return new IdxFile(dims, data);
    }

    /// <summary>Reads up to <paramref name="count"/> bytes, allocating as they arrive (from 1 MiB, doubling) rather than
    /// all at once: a short file whose header claims sizes of gigabytes costs the memory of what it holds, not of what it
    /// claims (afl-fuzz found a 31-byte file that took 1.5 GB). The array is exactly <paramref name="count"/> long when
    /// <paramref name="read"/> reaches it.</summary>
    private static byte[] ReadUpTo(Stream s, int count, out int read)
    {
        var buffer = new byte[Math.Min(count, FirstChunk)];
        read = 0;
        while (read < count)
        {
            if (read == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(count, 2L * buffer.Length));
            int n = s.Read(buffer, read, buffer.Length - read);
            if (n == 0) break;
            read += n;
        }
        return buffer;
    }

    private const int FirstChunk = 1 << 20;

    private static long CountRemaining(Stream s)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long total = 0;
        int n;
        while ((n = s.Read(scratch)) > 0) total += n;
        return total;
    }

    private static string TypeName(byte type) => type switch
    {
        0x08 => "uint8",
        0x09 => "int8",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "unknown type",
    };

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
