using System.Buffers.Binary;
using Elbo.Imaging;

namespace Elbo.Tests.Imaging;

public class PngWriterTests
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static byte[] RandomPixels(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    // Noise on a smooth gradient: rows where different filters win, and all byte values occur.
    private static byte[] MixedPixels(int width, int height, int channels, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                {
                    int v = (y % 3 == 0) ? random.Next(256) : 3 * x + 5 * y + 40 * c + random.Next(3);
                    pixels[(y * width + x) * channels + c] = (byte)v;
                }
        return pixels;
    }

    public static TheoryData<PngColor, int, int> Sizes => new()
    {
        { PngColor.Grey, 1, 1 }, { PngColor.Grey, 3, 5 }, { PngColor.Grey, 37, 19 },
        { PngColor.Rgb, 1, 1 }, { PngColor.Rgb, 3, 5 }, { PngColor.Rgb, 37, 19 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void EncodedImagesDecodeToTheSamePixelsWithEveryFixedFilter(PngColor color, int width, int height)
    {
        int channels = PngWriter.ChannelCount(color);
        byte[] pixels = RandomPixels(width * height * channels, width * 31 + height);
        foreach (PngFilterMode filter in new[] { PngFilterMode.None, PngFilterMode.Sub, PngFilterMode.Up, PngFilterMode.Average, PngFilterMode.Paeth })
        {
            DecodedPng png = PngTestDecoder.Decode(PngWriter.Encode(pixels, width, height, color, filter));
            Assert.Equal(width, png.Width);
            Assert.Equal(height, png.Height);
            Assert.Equal(8, png.BitDepth);
            Assert.Equal((int)color, png.ColorType);
            Assert.Equal(pixels, png.Pixels);
            Assert.All(png.RowFilters, f => Assert.Equal((byte)filter, f));
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void AdaptiveEncodingRoundTripsExactly(PngColor color, int width, int height)
    {
        int channels = PngWriter.ChannelCount(color);
        byte[] pixels = MixedPixels(width, height, channels, width + height);
        DecodedPng png = PngTestDecoder.Decode(PngWriter.Encode(pixels, width, height, color));
        Assert.Equal(pixels, png.Pixels);
        Assert.Equal(channels, png.Channels);
    }

    [Theory]
    [InlineData(PngColor.Grey)]
    [InlineData(PngColor.Rgb)]
    public void AdaptiveChoiceIsTheFilterWithTheSmallestSignedAbsoluteSumFirstOnTies(PngColor color)
    {
        const int width = 23, height = 40;
        int channels = PngWriter.ChannelCount(color);
        byte[] pixels = MixedPixels(width, height, channels, 99);
        DecodedPng png = PngTestDecoder.Decode(PngWriter.Encode(pixels, width, height, color));
        for (int y = 0; y < height; y++)
        {
            long[] costs = Enumerable.Range(0, 5).Select(f => PngTestDecoder.FilterCost(pixels, width, channels, y, f)).ToArray();
            int expected = Array.IndexOf(costs, costs.Min());
            Assert.True(expected == png.RowFilters[y], $"row {y}: chose {png.RowFilters[y]}, costs {string.Join(",", costs)}");
        }
    }

    [Fact]
    public void EachFilterTypeWinsOnARowCraftedForIt()
    {
        const int w = 16;
        var rows = new byte[7][];
        rows[0] = Enumerable.Range(0, w).Select(i => (byte)(i % 2)).ToArray();             // small values: None
        rows[1] = Enumerable.Range(0, w).Select(i => (byte)(50 + i)).ToArray();            // horizontal ramp: Sub
        rows[2] = (byte[])rows[1].Clone();                                                 // copy of the row above: Up
        rows[3] = Enumerable.Range(0, w).Select(i => (byte)(i % 2 == 0 ? 0 : 200)).ToArray();
        rows[4] = new byte[w];                                                             // mean of left and above: Average
        for (int i = 0; i < w; i++)
            rows[4][i] = (byte)(((i > 0 ? rows[4][i - 1] : 0) + rows[3][i]) / 2);
        byte[] varying = [10, 40, 70, 100, 130, 160, 190, 220];
        rows[5] = varying.Concat(Enumerable.Repeat((byte)200, 8)).ToArray();
        rows[6] = varying.Concat(Enumerable.Repeat((byte)100, 8)).ToArray();               // vertical then flat: Paeth
        byte[] pixels = rows.SelectMany(r => r).ToArray();

        DecodedPng png = PngTestDecoder.Decode(PngWriter.Encode(pixels, w, rows.Length, PngColor.Grey));

        Assert.Equal(pixels, png.Pixels);
        Assert.Equal((byte)PngFilterMode.None, png.RowFilters[0]);
        Assert.Equal((byte)PngFilterMode.Sub, png.RowFilters[1]);
        Assert.Equal((byte)PngFilterMode.Up, png.RowFilters[2]);
        Assert.Equal((byte)PngFilterMode.Average, png.RowFilters[4]);
        Assert.Equal((byte)PngFilterMode.Paeth, png.RowFilters[6]);
    }

    [Fact]
    public void TheFileHasSignatureIhdrTextIdatIendInThatOrder()
    {
        byte[] png = PngWriter.Encode(new byte[] { 1, 2, 3, 4, 5, 6 }, 2, 1, PngColor.Rgb);
        Assert.Equal(Signature, png[..8]);
        DecodedPng decoded = PngTestDecoder.Decode(png);
        Assert.Equal(["IHDR", "tEXt", "IDAT", "IEND"], decoded.ChunkTypes);
        Assert.Equal("Elbo", decoded.Text["Software"]);
        // IEND: zero length, type, and the CRC of "IEND".
        Assert.Equal(new byte[] { 0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82 }, png[^12..]);
        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(8)));
    }

    [Fact]
    public void TheDecoderOracleRejectsACorruptedChunk()
    {
        byte[] png = PngWriter.Encode(RandomPixels(5 * 4, 3), 5, 4, PngColor.Grey);
        PngTestDecoder.Decode(png);
        png[^20] ^= 0x01;   // a byte inside IDAT
        var error = Assert.Throws<InvalidDataException>(() => PngTestDecoder.Decode(png));
        Assert.Contains("CRC", error.Message);
    }

    [Fact]
    public void EncodingIsDeterministic()
    {
        byte[] pixels = MixedPixels(20, 20, 3, 5);
        Assert.Equal(PngWriter.Encode(pixels, 20, 20, PngColor.Rgb), PngWriter.Encode(pixels, 20, 20, PngColor.Rgb));
    }

    [Fact]
    public void WrongPixelCountOrSizeOrColourIsAnArgumentError()
    {
        var e1 = Assert.Throws<ArgumentException>(() => PngWriter.Encode(new byte[5], 2, 2, PngColor.Grey));
        Assert.Contains("needs 4 pixel bytes, got 5", e1.Message);
        Assert.Throws<ArgumentException>(() => PngWriter.Encode(new byte[12], 2, 2, PngColor.Grey));
        Assert.Throws<ArgumentException>(() => PngWriter.Encode(new byte[4], 2, 2, PngColor.Rgb));
        Assert.Throws<ArgumentException>(() => PngWriter.Encode(ReadOnlySpan<byte>.Empty, 0, 3, PngColor.Grey));
        Assert.Throws<ArgumentException>(() => PngWriter.Encode(ReadOnlySpan<byte>.Empty, 3, -1, PngColor.Grey));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Encode(new byte[4], 2, 2, (PngColor)4));
    }

    [Fact]
    public void WriteGoesThroughAnAtomicFileThatStartsWithTheSignature()
    {
        string dir = Directory.CreateTempSubdirectory("elbo-png").FullName;
        try
        {
            string path = Path.Combine(dir, "sub", "grey.png");
            byte[] pixels = RandomPixels(7 * 3, 11);
            PngWriter.Write(path, pixels, 7, 3, PngColor.Grey);
            byte[] file = File.ReadAllBytes(path);
            Assert.Equal(Signature, file[..8]);
            Assert.Equal(pixels, PngTestDecoder.Decode(file).Pixels);
            Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));

            var image = new Image(RandomPixels(4 * 2 * 3, 12), 4, 2, 3);
            string rgbPath = Path.Combine(dir, "rgb.png");
            image.Save(rgbPath);
            DecodedPng rgb = PngTestDecoder.Decode(File.ReadAllBytes(rgbPath));
            Assert.Equal(2, rgb.ColorType);
            Assert.Equal(image.Pixels, rgb.Pixels);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
