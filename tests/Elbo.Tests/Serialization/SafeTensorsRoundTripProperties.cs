using System.Buffers.Binary;
using CsCheck;
using Elbo.Serialization;
using Elbo.Tests.Data;

namespace Elbo.Tests.Serialization;

/// <summary>
/// Property tests (CsCheck): random tensors and metadata written by <see cref="SafeTensorsFile.Write"/> and read back by
/// <see cref="SafeTensorsFile.Read"/>; and the same files with one byte changed: in the data always refused with
/// <see cref="CheckpointFormatException"/> (the data checksum), in the header refused too (the header checksum, the
/// JSON, the layout checks) unless the change keeps every tensor and every metadata value (see
/// <see cref="AChangedByteOfTheHeaderIsAFormatErrorOrSaysTheSame"/>) — never read as other data, never another exception.
/// </summary>
public class SafeTensorsRoundTripProperties
{
    // Names and metadata in any Unicode: ASCII with JSON's specials (quote, backslash, control characters), Latin-1,
    // CJK, and characters beyond the BMP (surrogate pairs in C#, four bytes in UTF-8). Never a lone surrogate, which is
    // not text.
    private static readonly Gen<string> Text = Gen.Frequency(
            (6, Gen.Int[0x20, 0x7E]), (1, Gen.Int[0x00, 0x1F]), (1, Gen.Int[0xA0, 0xFF]),
            (1, Gen.Int[0x4E00, 0x4E40]), (1, Gen.Int[0x1F600, 0x1F640]))
        .Array[0, 8].Select(points => string.Concat(points.Select(char.ConvertFromUtf32)));

    // Rank 0 to Tensor.MaxRank, sizes 0 to 3 (a zero size holds no bytes; rank 0 holds one element); every float bit
    // pattern, NaN payloads and negative zero among them.
    private static readonly Gen<Tensor> Tensors =
        from shape in Gen.Int[0, 3].Array[0, Tensor.MaxRank]
        from bits in Gen.Int.Array[shape.Aggregate(1, (n, d) => n * d)]
        select Tensor.FromArray(bits.Select(BitConverter.Int32BitsToSingle).ToArray(), shape);

    private static readonly Gen<(KeyValuePair<string, Tensor>[] Tensors, Dictionary<string, string> Metadata)> Files =
        from names in Text.Where(n => n != SafeTensorsFile.MetadataKey).HashSet[0, 5]
        from tensors in Tensors.Array[names.Count]
        from keys in Text.Where(k => k is not (SafeTensorsFile.ChecksumKey or SafeTensorsFile.HeaderChecksumKey)).HashSet[0, 4]
        from values in Text.Array[keys.Count]
        select (names.Zip(tensors, KeyValuePair.Create).ToArray(), keys.Zip(values).ToDictionary(kv => kv.First, kv => kv.Second));

    private static void AssertSameTensors(KeyValuePair<string, Tensor>[] tensors, SafeTensorsContent read)
    {
        Assert.Equal(tensors.Select(kv => kv.Key), read.Tensors.Keys);
        foreach (var (name, expected) in tensors)
        {
            Assert.Equal(expected.ShapeArray(), read.Tensors[name].ShapeArray());
            Assert.Equal(expected.ToArray().Select(BitConverter.SingleToInt32Bits), read.Tensors[name].ToArray().Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void WritingThenReadingGivesTheSameNamesShapesBytesAndMetadata()
    {
        using var dir = new TempFolder();
        Files.Sample(file =>
        {
            string path = dir.File(Guid.NewGuid().ToString("N") + ".safetensors"); // CsCheck runs iterations in parallel
            SafeTensorsFile.Write(path, file.Tensors, file.Metadata);
            var read = SafeTensorsFile.Read(path);
            AssertSameTensors(file.Tensors, read);
            // what was given, and the two checksums Write adds
            Assert.Equal(file.Metadata.Count + 2, read.Metadata.Count);
            foreach (var (key, value) in file.Metadata) Assert.Equal(value, read.Metadata[key]);
            Assert.Matches("^[0-9a-f]{64}$", read.Metadata[SafeTensorsFile.ChecksumKey]);
            Assert.Matches("^[0-9a-f]{64}$", read.Metadata[SafeTensorsFile.HeaderChecksumKey]);
        }, iter: 150);
    }

    /// <summary>Writes <paramref name="file"/>, reads it (<paramref name="original"/>), changes one byte of it by XOR
    /// with <paramref name="xor"/> at <paramref name="at"/>, a fraction of the region <paramref name="region"/> picks
    /// from the file's bytes, and reads it again.</summary>
    private static SafeTensorsContent ReadChanged(TempFolder dir,
        (KeyValuePair<string, Tensor>[] Tensors, Dictionary<string, string> Metadata) file,
        Func<byte[], (int Start, int End)> region, double at, byte xor, out SafeTensorsContent original)
    {
        string path = dir.File(Guid.NewGuid().ToString("N") + ".safetensors"); // CsCheck runs iterations in parallel
        SafeTensorsFile.Write(path, file.Tensors, file.Metadata);
        original = SafeTensorsFile.Read(path);
        byte[] bytes = File.ReadAllBytes(path);
        var (start, end) = region(bytes);
        bytes[start + (int)(at * (end - start))] ^= xor;
        File.WriteAllBytes(path, bytes);
        return SafeTensorsFile.Read(path);
    }

    private static int DataStart(byte[] file) => 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(file);

    [Fact]
    public void AnyChangedByteOfTheDataIsAFormatError()
    {
        using var dir = new TempFolder();
        var withData = Files.Where(f => f.Tensors.Any(kv => kv.Value.Numel > 0));
        Gen.Select(withData, Gen.Double[0, 0.999], Gen.Byte[1, 255]).Sample((file, at, xor) =>
        {
            var e = Assert.Throws<CheckpointFormatException>(() => ReadChanged(dir, file, b => (DataStart(b), b.Length), at, xor, out _));
            Assert.Contains("checksum mismatch", e.Message);
        }, iter: 150);
    }

    [Fact]
    public void AChangedByteOfTheHeaderIsAFormatErrorOrSaysTheSame()
    {
        // The header: its 8-byte length and its JSON text with the padding. A change is refused, with two exceptions
        // that keep every tensor and every metadata value:
        // - it says the same: a padding space made another JSON whitespace (the digest covers what the header says,
        //   not how it is spaced), or a hex digit of the header checksum changed case (hex is compared ignoring case);
        // - it renames the header checksum's own key (elbo.header_sha256 to elbo.header_sha257, or e\\bo.header_sha256
        //   with a backspace): the file then looks like one written before header checksums existed, which
        //   SafeTensorsFile reads without that check (documented there); the checksum's value is kept under the new key.
        using var dir = new TempFolder();
        Gen.Select(Files, Gen.Double[0, 0.999], Gen.Byte[1, 255]).Sample((file, at, xor) =>
        {
            SafeTensorsContent read, original;
            try
            {
                read = ReadChanged(dir, file, b => (0, DataStart(b)), at, xor, out original);
            }
            catch (CheckpointFormatException)
            {
                return;
            }
            AssertSameTensors(file.Tensors, read);
            const string headerKey = SafeTensorsFile.HeaderChecksumKey;
            string digest = original.Metadata[headerKey];
            foreach (var (key, value) in original.Metadata.Where(kv => kv.Key != headerKey))
                Assert.Equal(value, read.Metadata[key]);
            Assert.Equal(original.Metadata.Count, read.Metadata.Count);
            if (read.Metadata.TryGetValue(headerKey, out var readDigest))
                Assert.Equal(digest, readDigest, ignoreCase: true);
            else
            {
                var renamed = Assert.Single(read.Metadata, kv => !original.Metadata.ContainsKey(kv.Key));
                Assert.Equal(digest, renamed.Value);
            }
        }, iter: 300);
    }
}
