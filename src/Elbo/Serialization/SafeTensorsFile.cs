using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Elbo.Serialization;

/// <summary>
/// Reads and writes the safetensors format (huggingface/safetensors), so PyTorch can load what Elbo saves:
/// <list type="number">
/// <item>8 bytes: N, the header length, an unsigned little-endian 64-bit integer;</item>
/// <item>N bytes: a UTF-8 JSON object <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …,
/// "__metadata__": {string: string}}</c>, padded with spaces so that 8 + N is a multiple of 8;</item>
/// <item>the data buffer: each tensor's elements, row-major and little-endian, at <c>[begin, end)</c> relative to
/// the buffer's start. The tensors cover the buffer exactly, without gaps or overlaps.</item>
/// </list>
/// Elbo writes F32 tensors only, in the order given and contiguously, with the header's <c>__metadata__</c> first
/// and holding <see cref="ChecksumKey"/>, the hex SHA-256 of the data buffer, and <see cref="HeaderChecksumKey"/>, the
/// hex SHA-256 of the rest of the header (every other metadata entry, the data checksum among them, and each tensor's
/// name, shape and offsets), so an edit anywhere in the file is caught; each is verified on reading when present
/// (files written before the header checksum existed carry only the first).
/// A rank-0 tensor has shape <c>[]</c> and one element; a tensor with a zero dimension has no bytes.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>The metadata key holding the lower-case hex SHA-256 of the data buffer.</summary>
    public const string ChecksumKey = "elbo.sha256";

    /// <summary>The metadata key holding the lower-case hex SHA-256 of the header's other content (see
    /// <see cref="HeaderDigest"/>).</summary>
    public const string HeaderChecksumKey = "elbo.header_sha256";

    /// <summary>The header key that holds the string-to-string metadata rather than a tensor.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>The largest header accepted on reading (as the reference implementation: 100 MB).</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string F32 = "F32";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>
    /// Writes <paramref name="tensors"/> (in this order) and <paramref name="metadata"/> to <paramref name="path"/>
    /// atomically (through <see cref="AtomicFile"/>), adding the data checksum under <see cref="ChecksumKey"/>.
    /// Throws <see cref="ArgumentException"/> for a null or duplicate name, the name <see cref="MetadataKey"/>, a null
    /// tensor, or metadata that uses <see cref="ChecksumKey"/> or holds a null.
    /// </summary>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < tensors.Count; i++)
        {
            var (name, tensor) = tensors[i];
            if (name is null) throw new ArgumentException($"safetensors: tensor {i} has no name", nameof(tensors));
            if (name == MetadataKey) throw new ArgumentException($"safetensors: a tensor cannot be named {MetadataKey}", nameof(tensors));
            if (!names.Add(name)) throw new ArgumentException($"safetensors: tensor name '{name}' appears more than once", nameof(tensors));
            if (tensor is null) throw new ArgumentException($"safetensors: tensor '{name}' is null", nameof(tensors));
        }
        var meta = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                if (key is ChecksumKey or HeaderChecksumKey)
                    throw new ArgumentException($"safetensors: the metadata key {key} is reserved for a checksum", nameof(metadata));
                meta[key] = value ?? throw new ArgumentException($"safetensors: metadata '{key}' is null", nameof(metadata));
            }
        }

        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            foreach (var (_, tensor) in tensors) AppendData(tensor, sha.AppendData);
            meta[ChecksumKey] = Convert.ToHexStringLower(sha.GetHashAndReset());
        }
        var entries = new List<Entry>(tensors.Count);
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            entries.Add(new Entry(name, tensor.Shape.ToArray(), offset, offset + 4L * tensor.Numel));
            offset += 4L * tensor.Numel;
        }
        meta[HeaderChecksumKey] = HeaderDigest(meta, entries);

        byte[] header = BuildHeader(tensors, meta);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var (_, tensor) in tensors) AppendData(tensor, stream.Write);
        });
    }

    /// <summary>The header bytes (JSON padded with spaces so that 8 + length is a multiple of 8).</summary>
    private static byte[] BuildHeader(IReadOnlyList<KeyValuePair<string, Tensor>> tensors, SortedDictionary<string, string> meta)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartObject(MetadataKey);
            foreach (var (key, value) in meta) json.WriteString(key, value);
            json.WriteEndObject();
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                long end = offset + 4L * tensor.Numel;
                json.WriteStartObject(name);
                json.WriteString("dtype", F32);
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }
            json.WriteEndObject();
        }
        int padded = (int)((buffer.Length + 7) / 8 * 8);
        while (buffer.Length < padded) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private delegate void ByteSink(ReadOnlySpan<byte> bytes);

    /// <summary>Passes the tensor's elements as little-endian bytes to <paramref name="sink"/>.</summary>
    private static void AppendData(Tensor tensor, ByteSink sink)
    {
        ReadOnlySpan<float> data = tensor.Data;
        if (BitConverter.IsLittleEndian)
        {
            sink(MemoryMarshal.AsBytes(data));
            return;
        }
        var bytes = new byte[4 * data.Length];
        for (int i = 0; i < data.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), data[i]);
        sink(bytes);
    }

    /// <summary>
    /// Reads the safetensors file at <paramref name="path"/>. Everything is checked: the header length against the
    /// file, the JSON, each entry's dtype (F32 only), shape and offsets (in order, inside the buffer, covering it
    /// without gaps or overlaps, matching the shape), duplicate names, and the checksum when the file has one. Any
    /// problem throws a <see cref="CheckpointFormatException"/> whose one-line message starts with
    /// <paramref name="path"/>; a missing file throws <see cref="FileNotFoundException"/>.
    /// </summary>
    public static SafeTensorsContent Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var (entries, metadata, bufferLength) = ReadHeader(path, stream);
        var buffer = new byte[bufferLength];
        stream.ReadExactly(buffer);
        if (metadata.TryGetValue(ChecksumKey, out var expected))
        {
            string actual = Convert.ToHexStringLower(SHA256.HashData(buffer));
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                throw new CheckpointFormatException(path, "checksum mismatch: the file is corrupt");
        }

        var tensors = new OrderedDictionary<string, Tensor>(entries.Count);
        foreach (var e in entries)
        {
            var t = Tensor.Zeros(e.Shape);
            var bytes = buffer.AsSpan((int)e.Begin, (int)(e.End - e.Begin));
            if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, float>(bytes).CopyTo(t.Data);
            else
            {
                var data = t.Data;
                for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
            }
            t.Name = e.Name;
            tensors.Add(e.Name, t);
        }
        return new SafeTensorsContent(tensors, metadata);
    }

    /// <summary>The metadata of the safetensors file at <paramref name="path"/>, reading only its header (checked as
    /// <see cref="Read"/> checks it, the header checksum included; the data are not read).</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12);
        return ReadHeader(path, stream).Metadata;
    }

    // The header of the file open in stream (positioned at its start), checked against the file's length and its
    // checksum; leaves the stream at the data buffer.
    private static (List<Entry> Entries, Dictionary<string, string> Metadata, long BufferLength) ReadHeader(string path, Stream stream)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new CheckpointFormatException(path, $"too short to be a safetensors file ({fileLength} bytes; the header length alone takes 8)");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8))
            throw new CheckpointFormatException(path, $"the header length {headerLength} runs past the end of the file ({fileLength} bytes)");
        if (headerLength > MaxHeaderLength)
            throw new CheckpointFormatException(path, $"the header length {headerLength} is above the limit of {MaxHeaderLength} bytes");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long bufferLength = fileLength - 8 - (long)headerLength;
        if (bufferLength > Array.MaxLength)
            throw new CheckpointFormatException(path, $"the data buffer ({bufferLength} bytes) is too large to load");

        var (entries, metadata) = ParseHeader(path, header);
        if (metadata.TryGetValue(HeaderChecksumKey, out var expectedHeader)
            && !string.Equals(HeaderDigest(metadata, entries), expectedHeader, StringComparison.OrdinalIgnoreCase))
            throw new CheckpointFormatException(path, "header checksum mismatch: the file's metadata or tensor index was changed or is corrupt");
        CheckLayout(path, entries, bufferLength);
        return (entries, metadata, bufferLength);
    }

    private sealed record Entry(string Name, int[] Shape, long Begin, long End);

    /// <summary>The hex SHA-256 of the header's content but <see cref="HeaderChecksumKey"/>: the metadata entries in
    /// ordinal key order, then the tensors in file order (name, F32, shape, offsets), each string length-prefixed, so
    /// the digest depends on what the header says and not on how its JSON is spaced or ordered.</summary>
    private static string HeaderDigest(IEnumerable<KeyValuePair<string, string>> metadata, IReadOnlyList<Entry> entries)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var number = new byte[8];
        void Long(long v)
        {
            BinaryPrimitives.WriteInt64LittleEndian(number, v);
            sha.AppendData(number);
        }
        void Text(string text)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            Long(bytes.Length);
            sha.AppendData(bytes);
        }
        foreach (var (key, value) in metadata.Where(kv => kv.Key != HeaderChecksumKey).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Text(key);
            Text(value);
        }
        foreach (var e in entries)
        {
            Text(e.Name);
            Text(F32);
            Long(e.Shape.Length);
            foreach (int d in e.Shape) Long(d);
            Long(e.Begin);
            Long(e.End);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static (List<Entry> Entries, Dictionary<string, string> Metadata) ParseHeader(string path, byte[] header)
    {
        // JsonDocument checks the structure but decodes strings only when asked, where a byte that is not UTF-8 (afl-fuzz
        // found a name with 0xC1) or a lone surrogate escape was an InvalidOperationException: refused here first.
        if (JsonStrings.FirstUndecodable(header) is long at)
            throw new CheckpointFormatException(path, $"the header holds a string that is not valid UTF-8 or Unicode (at byte {8 + at})");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException(path, $"the header is not valid JSON: {OneLine(ex.Message)}", ex);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new CheckpointFormatException(path, $"the header is a JSON {Kind(root)}, not an object");
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                string name = property.Name;
                if (!seen.Add(name))
                    throw new CheckpointFormatException(path, $"the header names '{name}' more than once");
                if (name == MetadataKey) ReadMetadata(path, property.Value, metadata);
                else entries.Add(ReadEntry(path, name, property.Value));
            }
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(path, $"{MetadataKey} is a JSON {Kind(value)}, not an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new CheckpointFormatException(path, $"{MetadataKey} entry '{item.Name}' is a JSON {Kind(item.Value)}, not a string");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new CheckpointFormatException(path, $"{MetadataKey} names '{item.Name}' more than once");
        }
    }

    private static Entry ReadEntry(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(path, $"tensor '{name}': the entry is a JSON {Kind(value)}, not an object");
        if (!value.TryGetProperty("dtype", out var dtype))
            throw new CheckpointFormatException(path, $"tensor '{name}': missing field \"dtype\"");
        if (dtype.ValueKind != JsonValueKind.String)
            throw new CheckpointFormatException(path, $"tensor '{name}': \"dtype\" is a JSON {Kind(dtype)}, not a string");
        string dt = dtype.GetString()!;
        if (dt != F32)
            throw new CheckpointFormatException(path, $"tensor '{name}' has dtype {dt}; Elbo reads only F32 tensors");

        if (!value.TryGetProperty("shape", out var shapeElement))
            throw new CheckpointFormatException(path, $"tensor '{name}': missing field \"shape\"");
        if (shapeElement.ValueKind != JsonValueKind.Array)
            throw new CheckpointFormatException(path, $"tensor '{name}': \"shape\" is a JSON {Kind(shapeElement)}, not an array");
        int rank = shapeElement.GetArrayLength();
        if (rank > Tensor.MaxRank)
            throw new CheckpointFormatException(path, $"tensor '{name}' has rank {rank}, above Elbo's maximum of {Tensor.MaxRank}");
        var shape = new int[rank];
        long numel = 1;
        int k = 0;
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int size) || size < 0)
                throw new CheckpointFormatException(path, $"tensor '{name}': \"shape\" holds {d.GetRawText()}, not a non-negative 32-bit integer");
            shape[k++] = size;
            numel *= size;
            if (numel > Array.MaxLength)
                throw new CheckpointFormatException(path, $"tensor '{name}': shape {FormatShape(shape.AsSpan(0, k))} has too many elements");
        }

        if (!value.TryGetProperty("data_offsets", out var offsets))
            throw new CheckpointFormatException(path, $"tensor '{name}': missing field \"data_offsets\"");
        if (offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new CheckpointFormatException(path, $"tensor '{name}': \"data_offsets\" is {Shorten(offsets.GetRawText())}, not [begin, end]");
        long begin = ReadOffset(path, name, offsets[0]);
        long end = ReadOffset(path, name, offsets[1]);
        if (end < begin)
            throw new CheckpointFormatException(path, $"tensor '{name}': data_offsets [{begin}, {end}] end before they begin");
        if (end - begin != 4 * numel)
            throw new CheckpointFormatException(path,
                $"tensor '{name}': shape {FormatShape(shape)} takes {4 * numel} bytes as F32 but data_offsets [{begin}, {end}] span {end - begin}");
        return new Entry(name, shape, begin, end);
    }

    private static long ReadOffset(string path, string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long v) || v < 0)
            throw new CheckpointFormatException(path, $"tensor '{name}': data_offsets holds {Shorten(element.GetRawText())}, not a non-negative integer");
        return v;
    }

    /// <summary>Checks that the entries lie inside the buffer and cover it exactly, without gaps or overlaps.</summary>
    private static void CheckLayout(string path, List<Entry> entries, long bufferLength)
    {
        foreach (var e in entries)
            if (e.End > bufferLength)
                throw new CheckpointFormatException(path,
                    $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] lie outside the data buffer ({bufferLength} bytes)");
        var sorted = entries.ToArray();
        Array.Sort(sorted, (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        Entry? previous = null;
        foreach (var e in sorted)
        {
            if (e.Begin < expected)
                throw new CheckpointFormatException(path,
                    $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] overlap those of '{previous!.Name}' [{previous.Begin}, {previous.End}]");
            if (e.Begin > expected)
                throw new CheckpointFormatException(path,
                    $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] leave a gap of {e.Begin - expected} bytes before them");
            expected = e.End;
            previous = e;
        }
        if (expected != bufferLength)
            throw new CheckpointFormatException(path,
                $"the tensors cover {expected} bytes but the data buffer has {bufferLength}");
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };

    private static string FormatShape(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++) parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        return "[" + string.Join(", ", parts) + "]";
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");

    private static string Shorten(string s)
    {
        s = OneLine(s);
        return s.Length <= 60 ? s : s[..57] + "...";
    }
}
