using Elbo.Data;
using Elbo.Imaging;

namespace Elbo.Tests.Imaging;

public class ImageTests
{
    [Fact]
    public void UpscaleRepeatsEachPixelIntoASquareBlock()
    {
        var image = new Image([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 2, 2, 3);
        Image big = image.Upscale(2);
        Assert.Equal((4, 4, 3), (big.Width, big.Height, big.Channels));
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(image[x / 2, y / 2, c], big[x, y, c]);
        Assert.Same(image, image.Upscale(1));
        Assert.Throws<ArgumentException>(() => image.Upscale(0));
    }

    [Fact]
    public void ConstructorRejectsWrongSizesAndChannelCounts()
    {
        Assert.Throws<ArgumentException>(() => new Image(new byte[4], 2, 2, 2));
        Assert.Throws<ArgumentException>(() => new Image(new byte[5], 2, 2, 1));
        Assert.Throws<ArgumentException>(() => new Image(new byte[0], 0, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Image(new byte[4], 2, 2, 1)[2, 0]);
    }

    [Theory]
    [InlineData(784, 1, 28)]
    [InlineData(3072, 3, 32)]
    [InlineData(1, 1, 1)]
    [InlineData(3, 3, 1)]
    public void SquareShapesAreInferredFromTheFeatureCount(int features, int channels, int side)
    {
        Assert.True(DataShape.TryInferSquare(features, out DataShape shape));
        Assert.Equal(new DataShape(channels, side, side), shape);
        Assert.Equal(features, shape.Features);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(785)]
    public void NonSquareFeatureCountsInferNoShape(int features)
    {
        Assert.False(DataShape.TryInferSquare(features, out _));
    }
}
