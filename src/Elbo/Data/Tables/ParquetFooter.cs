using System.Buffers.Binary;
using System.Reflection;
using Parquet;

namespace Elbo.Data.Tables;

/// <summary>
/// Checks a Parquet file's frame and footer before Parquet.Net opens it: the magic <c>PAR1</c> at both ends, the
/// footer's length (the 4 bytes before the closing magic) within the file, and the footer — the file's metadata, a
/// Thrift struct — decoded by Parquet.Net's own metadata reader over a view that throws at the footer's end
/// (<see cref="EndThrowingStream"/>). Parquet.Net 6.1 decodes the footer from a plain MemoryStream, where a footer whose
/// fields do not have the types it expects makes its Thrift reader read past the end and loop for ever (afl-fuzz found
/// such files, and one whose footer length ran past the file: an OutOfMemoryException). The metadata reader is
/// internal to Parquet.Net, so it is found by name; a Parquet.Net that no longer has it fails every Parquet read loudly
/// (<see cref="InvalidOperationException"/>) rather than skipping the check.
/// </summary>
internal static class ParquetFooter
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    private static readonly Lazy<Func<Stream, object>> DecodeFooter = new(FindDecoder);

    /// <summary>Throws a <see cref="DataFormatException"/> naming <paramref name="path"/> when the file is not framed as
    /// Parquet or its footer does not decode.</summary>
    public static void Check(string path)
    {
        byte[] footer;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12))
        {
            long length = file.Length;
            Span<byte> head = stackalloc byte[4], tail = stackalloc byte[8];
            if (length < 12) throw Bad(path, $"{length} bytes, shorter than Parquet's frame of 12");
            file.ReadExactly(head);
            file.Position = length - 8;
            file.ReadExactly(tail);
            if (!head.SequenceEqual(Magic) || !tail[4..].SequenceEqual(Magic)) throw Bad(path, "no PAR1 magic at its start and end");
            uint footerLength = BinaryPrimitives.ReadUInt32LittleEndian(tail);
            if (footerLength == 0 || footerLength > length - 12)
                throw Bad(path, $"its footer's length {footerLength} does not fit the file's {length} bytes");
            footer = new byte[footerLength];
            file.Position = length - 8 - footerLength;
            file.ReadExactly(footer);
        }
        var decode = DecodeFooter.Value;
        try
        {
            using var view = new EndThrowingStream(new MemoryStream(footer, writable: false), ownsInner: true);
            decode(view);
        }
        // an OutOfMemoryException too: the footer is at most the file's size, so a list it claims beyond that is damage, not a
        // big file (afl-fuzz found one claiming more elements than an array can hold)
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw Bad(path, $"its footer, the metadata, does not decode: {inner.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static DataFormatException Bad(string path, string problem) => new(path, $"is not a readable Parquet file ({problem})");

    // Parquet.Meta.FileMetaData.Read(new Parquet.Meta.Proto.ThriftCompactProtocolReader(stream)), both internal.
    private static Func<Stream, object> FindDecoder()
    {
        var assembly = typeof(ParquetReader).Assembly;
        var readerType = assembly.GetType("Parquet.Meta.Proto.ThriftCompactProtocolReader");
        var metadataType = assembly.GetType("Parquet.Meta.FileMetaData");
        var constructor = readerType?.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, [typeof(Stream)]);
        var read = readerType is null ? null
            : metadataType?.GetMethod("Read", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [readerType]);
        if (constructor is null || read is null)
            throw new InvalidOperationException($"Parquet.Net {assembly.GetName().Version} has no FileMetaData.Read(ThriftCompactProtocolReader): ParquetFooter needs updating");
        return stream => read.Invoke(null, [constructor.Invoke([stream])])!;
    }
}
