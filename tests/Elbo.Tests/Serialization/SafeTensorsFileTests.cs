using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Elbo.Serialization;

namespace Elbo.Tests.Serialization;

public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elbo-safetensors").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static KeyValuePair<string, Tensor> Entry(string name, Tensor t) => new(name, t);

    [Fact]
    public void RoundTripKeepsNamesOrderShapesValuesAndMetadata()
    {
        var g = new Generator(7);
        var tensors = new List<KeyValuePair<string, Tensor>>
        {
            Entry("z.last.first", Tensor.Randn(g, 2, 3, 4)),
            Entry("scalar", Tensor.Scalar(-0.0f)),
            Entry("empty", Tensor.Zeros(0)),
            Entry("empty.2d", Tensor.Zeros(3, 0)),
            Entry("a", Tensor.FromArray([float.MaxValue, float.Epsilon, float.NegativeInfinity, float.NaN, 1e-40f])),
            Entry("ünïcode name", Tensor.Randn(g, 1, 1, 1, 1, 1, 2)),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ß \"quoted\" <tag>" };
        string path = PathOf("round.safetensors");

        SafeTensorsFile.Write(path, tensors, metadata);
        var read = SafeTensorsFile.Read(path);

        Assert.Equal(tensors.Select(kv => kv.Key), read.Tensors.Keys);
        foreach (var (name, expected) in tensors)
        {
            var actual = read.Tensors[name];
            Assert.Equal(expected.ShapeArray(), actual.ShapeArray());
            Assert.Equal(name, actual.Name);
            // Bitwise: -0, NaN and denormals must survive.
            Assert.Equal(expected.ToArray().Select(BitConverter.SingleToInt32Bits), actual.ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(0, read.Tensors["scalar"].Rank);
        Assert.Equal("pt", read.Metadata["format"]);
        Assert.Equal("ß \"quoted\" <tag>", read.Metadata["note"]);
        Assert.Equal(64, read.Metadata[SafeTensorsFile.ChecksumKey].Length);
        Assert.Equal(64, read.Metadata[SafeTensorsFile.HeaderChecksumKey].Length);
        Assert.Equal(4, read.Metadata.Count);
    }

    [Fact]
    public void WritesTheExactSafetensorsByteLayout()
    {
        string path = PathOf("tiny.safetensors");
        SafeTensorsFile.Write(path,
            [Entry("x", Tensor.FromArray([1f, -2f])), Entry("s", Tensor.Scalar(0.5f))],
            new Dictionary<string, string> { ["k"] = "v" });

        byte[] data = [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x3F];
        string sha = Convert.ToHexStringLower(SHA256.HashData(data));
        // The header checksum, by its definition: the other metadata in key order, then each tensor's name, dtype,
        // rank, sizes and offsets; strings as a 64-bit little-endian byte count and UTF-8, numbers as 64-bit LE.
        var canonical = new List<byte>();
        void Number(long v) => canonical.AddRange(BitConverter.GetBytes(v));
        void Text(string t) { Number(Encoding.UTF8.GetByteCount(t)); canonical.AddRange(Encoding.UTF8.GetBytes(t)); }
        Text("elbo.sha256"); Text(sha); Text("k"); Text("v");
        Text("x"); Text("F32"); Number(1); Number(2); Number(0); Number(8);
        Text("s"); Text("F32"); Number(0); Number(8); Number(12);
        string headerSha = Convert.ToHexStringLower(SHA256.HashData(canonical.ToArray()));
        string json = "{\"__metadata__\":{\"elbo.header_sha256\":\"" + headerSha + "\",\"elbo.sha256\":\"" + sha + "\",\"k\":\"v\"},"
            + "\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]}}";
        Assert.Equal(301, json.Length);
        // 8 + 301 = 309: three spaces bring the data to offset 312, a multiple of 8; the header length is 304.
        string header = json + "   ";
        var expected = new List<byte> { 304 & 0xff, 304 >> 8, 0, 0, 0, 0, 0, 0 };
        expected.AddRange(Encoding.ASCII.GetBytes(header));
        expected.AddRange(data);

        byte[] actual = File.ReadAllBytes(path);
        Assert.Equal(expected.ToArray(), actual);
        Assert.Equal(0, (8 + header.Length) % 8);
    }

    [Fact]
    public void AnEmptyFileHasOnlyTheMetadataAndReadsBack()
    {
        string path = PathOf("none.safetensors");
        SafeTensorsFile.Write(path, [], null);
        var read = SafeTensorsFile.Read(path);
        Assert.Empty(read.Tensors);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), read.Metadata[SafeTensorsFile.ChecksumKey]);
        Assert.Equal(0, new FileInfo(path).Length % 8);
    }

    [Fact]
    public void EditingTheHeaderIsDetectedByTheHeaderChecksum()
    {
        string path = PathOf("meta.safetensors");
        SafeTensorsFile.Write(path, [Entry("w", Tensor.Randn(new Generator(3), 4, 5))], new Dictionary<string, string> { ["elbo.epoch"] = "1" });
        byte[] bytes = File.ReadAllBytes(path);
        string text = Encoding.ASCII.GetString(bytes);
        int at = text.IndexOf("\"elbo.epoch\":\"1\"", StringComparison.Ordinal) + "\"elbo.epoch\":\"".Length;
        bytes[at] = (byte)'7';                              // an edited epoch, same length: the JSON stays valid
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointFormatException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("header checksum mismatch", e.Message);
    }

    [Fact]
    public void FlippingOneDataByteIsDetectedByTheChecksum()
    {
        string path = PathOf("model.safetensors");
        SafeTensorsFile.Write(path, [Entry("w", Tensor.Randn(new Generator(3), 4, 5))], null);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^7] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<CheckpointFormatException>(() => SafeTensorsFile.Read(path));
        Assert.Equal($"{path}: checksum mismatch: the file is corrupt", ex.Message);
        Assert.Equal(path, ex.FilePath);
    }

    [Fact]
    public void AFileWithoutChecksumIsReadWithoutVerification()
    {
        string path = PathOf("plain.safetensors");
        File.WriteAllBytes(path, Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", [0, 0, 0x80, 0x3F]));
        var read = SafeTensorsFile.Read(path);
        Assert.Equal(1f, read.Tensors["a"].Item());
        Assert.Equal(1, read.Tensors["a"].Rank);
        Assert.Empty(read.Metadata);
    }

    [Fact]
    public void TheReaderAcceptsHeaderOrderThatDiffersFromDataOrder()
    {
        string path = PathOf("order.safetensors");
        File.WriteAllBytes(path, Raw(
            "{\"second\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},\"first\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]));
        var read = SafeTensorsFile.Read(path);
        Assert.Equal(["second", "first"], read.Tensors.Keys);
        Assert.Equal(2f, read.Tensors["second"].Item());
        Assert.Equal(1f, read.Tensors["first"].Item());
    }

    /// <summary>A safetensors file built by hand: the header length, the header as given (unpadded), the data.</summary>
    private static byte[] Raw(string header, byte[] data, ulong? headerLength = null)
    {
        byte[] h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength ?? (ulong)h.Length);
        h.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + h.Length);
        return bytes;
    }

    private const string A8 = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    public static TheoryData<string, string, int, string> Corruptions => new()
    {
        // name, header, data bytes, expected phrase
        { "not JSON", "{\"a\":", 0, "the header is not valid JSON" },
        { "not an object", "[1, 2]", 0, "the header is a JSON array, not an object" },
        { "entry not an object", "{\"a\":3}", 0, "tensor 'a': the entry is a JSON number" },
        { "missing dtype", "{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "tensor 'a': missing field \"dtype\"" },
        { "missing shape", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8, "tensor 'a': missing field \"shape\"" },
        { "missing offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "tensor 'a': missing field \"data_offsets\"" },
        { "other dtype", "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "tensor 'a' has dtype F16; Elbo reads only F32 tensors" },
        { "negative size", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "\"shape\" holds -2" },
        { "fractional size", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8, "\"shape\" holds 2.5" },
        { "rank above 6", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1],\"data_offsets\":[0,4]}}", 4, "tensor 'a' has rank 7" },
        { "one offset", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8]}}", 8, "not [begin, end]" },
        { "negative offset", "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[-4,-4]}}", 0, "not a non-negative integer" },
        { "end before begin", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8, "data_offsets [8, 0] end before they begin" },
        { "shape and span differ", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "shape [3] takes 12 bytes as F32 but data_offsets [0, 8] span 8" },
        { "outside the buffer", "{" + A8 + "}", 4, "tensor 'a': data_offsets [0, 8] lie outside the data buffer (4 bytes)" },
        { "overlap", "{" + A8 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "tensor 'b': data_offsets [4, 12] overlap those of 'a' [0, 8]" },
        { "gap", "{" + A8 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16, "tensor 'b': data_offsets [12, 16] leave a gap of 4 bytes" },
        { "gap at the start", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "leave a gap of 4 bytes" },
        { "uncovered tail", "{" + A8 + "}", 12, "the tensors cover 8 bytes but the data buffer has 12" },
        { "duplicate name", "{" + A8 + "," + A8 + "}", 8, "the header names 'a' more than once" },
        { "metadata not an object", "{\"__metadata__\":[1]," + A8 + "}", 8, "__metadata__ is a JSON array" },
        { "metadata value not a string", "{\"__metadata__\":{\"k\":1}," + A8 + "}", 8, "__metadata__ entry 'k' is a JSON number, not a string" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void AMalformedHeaderGivesAOneLineErrorNamingTheFile(string name, string header, int dataBytes, string phrase)
    {
        string path = PathOf("bad.safetensors");
        File.WriteAllBytes(path, Raw(header, new byte[dataBytes]));

        var ex = Assert.Throws<CheckpointFormatException>(() => SafeTensorsFile.Read(path));
        Assert.StartsWith(path + ": ", ex.Message);
        Assert.True(ex.Message.Contains(phrase, StringComparison.Ordinal), $"{name}: expected \"{phrase}\" in: {ex.Message}");
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void AFileShorterThanTheLengthFieldIsRejected(int length)
    {
        string path = PathOf("short.safetensors");
        File.WriteAllBytes(path, new byte[length]);
        var ex = Assert.Throws<CheckpointFormatException>(() => SafeTensorsFile.Read(path));
        Assert.Equal($"{path}: too short to be a safetensors file ({length} bytes; the header length alone takes 8)", ex.Message);
    }

    [Theory]
    [InlineData(1000UL)]
    [InlineData(ulong.MaxValue)]
    public void AHeaderLengthBeyondTheFileIsRejected(ulong headerLength)
    {
        string path = PathOf("long.safetensors");
        File.WriteAllBytes(path, Raw("{}", [], headerLength));
        var ex = Assert.Throws<CheckpointFormatException>(() => SafeTensorsFile.Read(path));
        Assert.Equal($"{path}: the header length {headerLength} runs past the end of the file (10 bytes)", ex.Message);
    }

    [Fact]
    public void AFileCutShortInsideTheDataIsRejected()
    {
        string path = PathOf("cut.safetensors");
        SafeTensorsFile.Write(path, [Entry("w", Tensor.Ones(4, 4))], null);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);
        var ex = Assert.Throws<CheckpointFormatException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("tensor 'w': data_offsets [0, 64] lie outside the data buffer (59 bytes)", ex.Message);
    }

    [Fact]
    public void AMissingFileThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => SafeTensorsFile.Read(PathOf("absent.safetensors")));
    }

    [Fact]
    public void TheWriterRejectsDuplicateAndReservedNamesAndTheChecksumKey()
    {
        string path = PathOf("w.safetensors");
        var t = Tensor.Ones(1);
        Assert.Contains("appears more than once",
            Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [Entry("a", t), Entry("a", t)], null)).Message);
        Assert.Contains("__metadata__",
            Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [Entry("__metadata__", t)], null)).Message);
        Assert.Contains("reserved",
            Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [Entry("a", t)],
                new Dictionary<string, string> { [SafeTensorsFile.ChecksumKey] = "0" })).Message);
        Assert.False(File.Exists(path));
    }
}
