using Elbo.Data;

namespace Elbo.Tests.Data;

public class ImagePreprocessingTests
{
    private static byte[] Rgba(int w, int h, Func<int, int, (byte R, byte G, byte B, byte A)> pixel)
    {
        var data = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (r, g, b, a) = pixel(x, y);
                int at = (y * w + x) * 4;
                (data[at], data[at + 1], data[at + 2], data[at + 3]) = (r, g, b, a);
            }
        return data;
    }

    private static byte[] Apply(byte[] rgba, int w, int h, ImageFolderOptions options)
    {
        var resolved = options.Resolve();
        var output = new byte[resolved.Shape().Features];
        ImagePreprocessing.Apply(rgba, w, h, resolved, output);
        return output;
    }

    [Fact]
    public void AFineCheckerboardShrinksToItsMeanNotToAliasedStripes()
    {
        // 1-pixel black/white checkerboard 8×8 → 4×4: every output covers two black and two white pixels.
        var board = Rgba(8, 8, (x, y) => (x + y) % 2 == 0 ? ((byte)0, (byte)0, (byte)0, (byte)255) : ((byte)255, (byte)255, (byte)255, (byte)255));
        var output = Apply(board, 8, 8, new ImageFolderOptions { ImageSize = 4 });
        Assert.All(output, b => Assert.Equal(128, b));
    }

    [Theory]
    [InlineData(ImageBackground.Black, 128, 0, 0)]
    [InlineData(ImageBackground.White, 255, 127, 127)]
    public void HalfTransparentRedIsCompositedOverTheBackground(ImageBackground background, int r, int g, int b)
    {
        var red = Rgba(2, 2, (_, _) => (255, 0, 0, 128));
        var output = Apply(red, 2, 2, new ImageFolderOptions { ImageSize = 2, Background = background });
        // Planar: 4 red values, then 4 green, then 4 blue.
        Assert.Equal(Enumerable.Repeat((byte)r, 4).Concat(Enumerable.Repeat((byte)g, 4)).Concat(Enumerable.Repeat((byte)b, 4)), output);
    }

    [Fact]
    public void GreyIsTheBt601Luma()
    {
        var colours = Rgba(3, 1, (x, _) => x == 0 ? ((byte)255, (byte)0, (byte)0, (byte)255) : x == 1 ? ((byte)0, (byte)255, (byte)0, (byte)255) : ((byte)0, (byte)0, (byte)255, (byte)255));
        var output = Apply(colours, 3, 1, new ImageFolderOptions { ImageSize = 1, Crop = 1, Color = ImageColor.Grey });
        Assert.Equal([150], output);   // the centre pixel: pure green → 0.587 · 255 = 149.7
    }

    [Fact]
    public void TheDefaultCropIsTheLargestCentredSquare()
    {
        // 6 wide, 4 high: columns 0 and 5 are red, the centred 4×4 square (columns 1–4) is blue.
        var wide = Rgba(6, 4, (x, _) => x is 0 or 5 ? ((byte)255, (byte)0, (byte)0, (byte)255) : ((byte)0, (byte)0, (byte)255, (byte)255));
        var output = Apply(wide, 6, 4, new ImageFolderOptions { ImageSize = 2 });
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255 }, output);
    }

    [Fact]
    public void ACropLargerThanThePicturePadsWithTheBackground()
    {
        var white = Rgba(2, 2, (_, _) => (255, 255, 255, 255));
        // A 4×4 crop of a 2×2 picture, resized to 2×2: each output covers one white and three black pixels.
        var output = Apply(white, 2, 2, new ImageFolderOptions { ImageSize = 2, Crop = 4, Color = ImageColor.Grey });
        Assert.Equal([64, 64, 64, 64], output);
    }

    [Fact]
    public void ASinglePixelFillsTheWholeExample()
    {
        var dot = Rgba(1, 1, (_, _) => (10, 20, 30, 255));
        var output = Apply(dot, 1, 1, new ImageFolderOptions { ImageSize = 3 });
        Assert.Equal(Enumerable.Repeat((byte)10, 9).Concat(Enumerable.Repeat((byte)20, 9)).Concat(Enumerable.Repeat((byte)30, 9)), output);
    }

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(5, 2, 2)]     // round(1.5) = 2 (halves to even, as torchvision's Python round)
    [InlineData(7, 2, 2)]     // round(2.5) = 2
    [InlineData(2, 4, -1)]
    public void CropOffsetsRoundAsTorchvisionDoes(int side, int crop, int expected) =>
        Assert.Equal(expected, ImagePreprocessing.CropOffset(side, crop));

    [Theory]
    [InlineData(0, "imageSize")]
    [InlineData(5000, "imageSize")]
    public void ImageSizesOutOfRangeNameTheSetting(int size, string setting)
    {
        var e = Assert.Throws<SettingException>(() => new ImageFolderOptions { ImageSize = size }.Resolve());
        Assert.Equal(setting, e.Setting);
    }
}
