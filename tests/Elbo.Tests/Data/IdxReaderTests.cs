using Elbo.Data;

namespace Elbo.Tests.Data;

public class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ImagesReadBackWithTheirDimensionsAndBytesRawOrGzipped(bool gzip)
    {
        using var dir = new TempFolder();
        byte[] file = IdxFixtures.Images(6, 3, 2);
        string path = dir.File("imgs");
        File.WriteAllBytes(path, gzip ? IdxFixtures.Gzip(file) : file);

        IdxFile idx = IdxReader.ReadImages(path);

        Assert.Equal([6, 3, 2], idx.Dimensions);
        Assert.Equal(6, idx.Count);
        Assert.Equal(IdxFixtures.Pixels(6, 6), idx.Data);
    }

    [Fact]
    public void LabelsReadBack()
    {
        using var dir = new TempFolder();
        string path = dir.File("labels.gz");
        File.WriteAllBytes(path, IdxFixtures.Gzip(IdxFixtures.Labels(12)));

        IdxFile idx = IdxReader.ReadLabels(path);

        Assert.Equal([12], idx.Dimensions);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (byte)(i % 10)), idx.Data);
    }

    [Fact]
    public void AGenericReadAcceptsAnyNumberOfDimensions()
    {
        using var dir = new TempFolder();
        string path = dir.File("four-d");
        File.WriteAllBytes(path, IdxFixtures.Idx([2, 1, 2, 3], new byte[12]));

        Assert.Equal([2, 1, 2, 3], IdxReader.Read(path).Dimensions);
    }

    public static TheoryData<string, byte[], bool, string> CorruptImageFiles()
    {
        byte[] good = IdxFixtures.Images(4, 3, 3);
        byte[] badMagic = (byte[])good.Clone();
        badMagic[0] = 0x12;
        byte[] floatType = (byte[])good.Clone();
        floatType[2] = 0x0D;
        byte[] gz = IdxFixtures.Gzip(good);
        byte[] corruptGz = (byte[])gz.Clone();
        for (int i = 12; i < corruptGz.Length - 8; i++) corruptGz[i] ^= 0x5A;
        return new()
        {
            { "bad magic", badMagic, false, "bad magic number 0x12000803" },
            { "float32 elements", floatType, false, "unsupported IDX element type 0x0D (float32)" },
            { "labels where images are expected", IdxFixtures.Labels(4), false, "1 dimensions where image data needs 3" },
            { "truncated data", good[..^5], false, "truncated: expected 52 bytes of image data (4 × 3 × 3), found 47" },
            { "truncated header", good[..9], false, "truncated: the header needs 16 bytes, found 9" },
            { "trailing bytes", [.. good, 1, 2, 3], false, "trailing bytes: 3 bytes after the 52 bytes of image data" },
            { "empty", [], false, "empty file" },
            { "three bytes", [0, 0, 8], false, "shorter than the 4-byte IDX magic number" },
            { "gzipped truncated data", IdxFixtures.Gzip(good[..^5]), true, "truncated: expected 52 bytes of image data (4 × 3 × 3) after decompression, found 47" },
            { "gzipped trailing bytes", IdxFixtures.Gzip([.. good, 9]), true, "trailing bytes: 1 bytes after" },
            { "corrupt gzip", corruptGz, true, "corrupt gzip data" },
            { "gzip cut short", gz[..(gz.Length / 2)], true, "truncated" },
        };
    }

    [Theory]
    [MemberData(nameof(CorruptImageFiles))]
    public void EveryCorruptionIsADataFormatErrorOnOneLineNamingTheFile(string @case, byte[] bytes, bool gzip, string expected)
    {
        using var dir = new TempFolder();
        string path = dir.File(gzip ? "t10k-images-idx3-ubyte.gz" : "t10k-images-idx3-ubyte");
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(path, e.FilePath);
        _ = @case; // names the case in the test output
    }

    [Fact]
    public void AMissingFileIsDataNotFound()
    {
        using var dir = new TempFolder();
        string path = dir.File("nope.gz");

        var e = Assert.Throws<DataNotFoundException>(() => IdxReader.ReadLabels(path));

        Assert.Equal($"{path}: file not found", e.Message);
    }

    [Fact]
    public void AStreamThatCannotSeekIsReadToo()
    {
        byte[] gz = IdxFixtures.Gzip(IdxFixtures.Labels(5));
        using var stream = new ForwardOnlyStream(gz);

        IdxFile idx = IdxReader.Read(stream, "stream", 1, "label data");

        Assert.Equal([0, 1, 2, 3, 4], idx.Data);
    }
}
