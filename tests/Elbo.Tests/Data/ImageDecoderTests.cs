using Elbo.Data;

namespace Elbo.Tests.Data;

/// <summary>Inputs the reader fuzzing found or the decoder's guards exist for: each ends in an
/// <see cref="ImageDecodeException"/>, promptly.</summary>
public class ImageDecoderTests
{
    /// <summary>Runs the decoder on its own thread and fails (rather than hanging the suite) if it has not finished in
    /// a minute; a regression of the loop this guards against never finishes at all.</summary>
    private static Exception? DecodeBounded(string path)
    {
        var task = Task.Run(() => ImageDecoder.DecodeRgba(path));
        Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(1)), "the decoder did not return");
        return task.Exception?.InnerException;
    }

    [Fact]
    public void AJpegSegmentRunningPastTheEndOfTheFileIsAnErrorNotALoop()
    {
        // Found by ReaderFuzzTests: SOI, then an APP0 segment whose length (0x58) points past the 12-byte file's end;
        // StbImageSharp's seek left Position beyond Length and its marker loop never saw the end.
        using var dir = new TempFolder();
        string path = dir.File("cut.jpg");
        File.WriteAllBytes(path, [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x58, 0x58, 0x58, 0x58, 0x58, 0x53, 0x53]);
        Assert.IsType<ImageDecodeException>(DecodeBounded(path));
    }

    [Fact]
    public void APngHeaderClaimingMorePixelsThanItsBytesCanHoldIsRefusedBeforeDecoding()
    {
        using var dir = new TempFolder();
        string path = dir.File("bomb.png");
        ImageFixtures.HugeHeader(path, 8000, 8000);   // under the 64-megapixel limit, but a 100-byte file
        var e = Assert.IsType<ImageDecodeException>(DecodeBounded(path));
        Assert.Contains("more than its", e.Message);
    }

    [Fact]
    public void APngWhoseDataInflateFarBeyondItsSizeIsRefusedBeforeStbInflatesThem()
    {
        // a 28×28 grey picture needs 812 bytes of scanlines; these 64 KB of file inflate to 64 MB
        var bomb = PngBombs.Grey(28, 28, 64L << 20);
        Assert.InRange(bomb.Length, 1, 200_000);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeRgba(bomb));
        Assert.Contains("decompression bomb", e.Message);
        Assert.Contains("28×28", e.Message);
        // the bound is twice the scanlines plus 4 KiB: data of that size still decode (extra data stb ignores)
        var (rgba, width, height) = ImageDecoder.DecodeRgba(PngBombs.Grey(28, 28, 2 * 28 * 29 + 4096));
        Assert.Equal((28, 28, 28 * 28 * 4), (width, height, rgba.Length));
        Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeRgba(PngBombs.Grey(28, 28, 2 * 28 * 29 + 4097)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(28, 28)]
    [InlineData(37, 19)]
    public void AnInterlacedPngDecodesWithinTheBound(int width, int height)
    {
        var png = PngBombs.InterlacedGrey(width, height, (x, y) => (byte)(x * 7 + y * 13));
        var (rgba, w, h) = ImageDecoder.DecodeRgba(png);
        Assert.Equal((width, height), (w, h));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) Assert.Equal((byte)(x * 7 + y * 13), rgba[(y * width + x) * 4]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void PngsOfEveryChannelCountDecodeWithinTheBound(int channels)
    {
        using var dir = new TempFolder();
        string path = dir.File("ok.png");
        ImageFixtures.Png(path, 31, 17, channels, (x, y, c) => (byte)(x * 17 + y * 5 + c * 60));
        var (rgba, width, height) = ImageDecoder.DecodeRgba(File.ReadAllBytes(path));
        Assert.Equal((31, 17), (width, height));
        Assert.Equal((byte)(2 * 17 + 3 * 5), rgba[(3 * 31 + 2) * 4]);
    }

    [Fact]
    public void AValidPictureStillDecodes()
    {
        using var dir = new TempFolder();
        string path = dir.File("ok.png");
        ImageFixtures.Png(path, 13, 9, 4, (x, y, c) => (byte)(x * 17 + y * 5 + c * 60));
        var (rgba, width, height) = ImageDecoder.DecodeRgba(path);
        Assert.Equal((13, 9), (width, height));
        Assert.Equal(13 * 9 * 4, rgba.Length);
        Assert.Equal((byte)(2 * 17 + 3 * 5 + 60), rgba[(3 * 13 + 2) * 4 + 1]);
    }
}
