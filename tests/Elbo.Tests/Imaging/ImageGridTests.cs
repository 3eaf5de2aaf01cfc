using Elbo.Data;
using Elbo.Imaging;

namespace Elbo.Tests.Imaging;

public class ImageGridTests
{
    [Fact]
    public void TilesSitInRowMajorCellsWithPaddingAroundAndBetweenAndEmptyCellsPadded()
    {
        // Three 2x2 grey tiles with values 0.0 / 0.2 / 0.4 (bytes 0, 51, 102), two columns, padding 1 of 1.0 (255).
        float[] images = [.. Enumerable.Repeat(0f, 4), .. Enumerable.Repeat(0.2f, 4), .. Enumerable.Repeat(0.4f, 4)];
        Image grid = ImageGrid.Compose(images, count: 3, channels: 1, height: 2, width: 2, columns: 2, padding: 1);

        Assert.Equal(7, grid.Width);    // 2*(2+1)+1
        Assert.Equal(7, grid.Height);
        Assert.Equal(1, grid.Channels);
        const byte P = 255;
        byte[] expected =
        [
            P, P,   P,   P, P,  P,  P,
            P, 0,   0,   P, 51, 51, P,
            P, 0,   0,   P, 51, 51, P,
            P, P,   P,   P, P,  P,  P,
            P, 102, 102, P, P,  P,  P,
            P, 102, 102, P, P,  P,  P,
            P, P,   P,   P, P,  P,  P,
        ];
        Assert.Equal(expected, grid.Pixels);
    }

    [Fact]
    public void PixelsWithinATileKeepTheirRowAndColumn()
    {
        // One 2x3 (H x W) tile, values distinct per position, padding 2 of 0.
        float[] tile = [0f, 1f / 255, 2f / 255, 3f / 255, 4f / 255, 5f / 255];
        Image grid = ImageGrid.Compose(tile, 1, 1, 2, 3, columns: 8, padding: 2, paddingValue: 0f);
        Assert.Equal(3 + 4, grid.Width);   // columns capped at the image count
        Assert.Equal(2 + 4, grid.Height);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
                Assert.Equal(y * 3 + x, grid[2 + x, 2 + y]);
        Assert.Equal(0, grid[0, 0]);
        Assert.Equal(0, grid[6, 5]);
    }

    [Fact]
    public void ValuesAreClampedNanIsZeroAndRoundingIsHalfUp()
    {
        float[] values = [-0.5f, 1.5f, float.NaN, 0.5f, float.PositiveInfinity, float.NegativeInfinity, 1f, 0f, 0.1f];
        Image grid = ImageGrid.Compose(values, 1, 1, 1, values.Length, 1, padding: 0);
        Assert.Equal(new byte[] { 0, 255, 0, 128, 255, 0, 255, 0, 26 }, grid.Pixels);
        Assert.Equal(0, ImageGrid.ToByte(float.NaN));
        Assert.Equal(1, ImageGrid.ToByte(0.5f / 255));
        Assert.Equal(0, ImageGrid.ToByte(0.49f / 255));
    }

    [Fact]
    public void PaddingValueIsClampedToo()
    {
        Image grid = ImageGrid.Compose([0.5f], 1, 1, 1, 1, 1, padding: 1, paddingValue: float.NaN);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 128, 0, 0, 0, 0 }, grid.Pixels);
    }

    [Fact]
    public void RgbTilesArePlanarInAndInterleavedOut()
    {
        // One 1x2 RGB image: R plane, G plane, B plane.
        float[] chw = [10 / 255f, 11 / 255f, 20 / 255f, 21 / 255f, 30 / 255f, 31 / 255f];
        Image grid = ImageGrid.Compose(chw, 1, 3, 1, 2, 1, padding: 1, paddingValue: 1f);
        Assert.Equal(3, grid.Channels);
        Assert.Equal(PngColor.Rgb, grid.Color);
        Assert.Equal((4, 3), (grid.Width, grid.Height));
        Assert.Equal([10, 20, 30], new[] { grid[1, 1, 0], grid[1, 1, 1], grid[1, 1, 2] });
        Assert.Equal([11, 21, 31], new[] { grid[2, 1, 0], grid[2, 1, 1], grid[2, 1, 2] });
        Assert.Equal([255, 255, 255], new[] { grid[0, 1, 0], grid[0, 1, 1], grid[0, 1, 2] });
    }

    [Fact]
    public void ScaleEnlargesTheWholeGridNearestNeighbour()
    {
        Image small = ImageGrid.Compose([0f, 1f], 2, 1, 1, 1, 2, padding: 1, paddingValue: 0.2f);
        Image big = ImageGrid.Compose([0f, 1f], 2, 1, 1, 1, 2, padding: 1, paddingValue: 0.2f, scale: 3);
        Assert.Equal((small.Width * 3, small.Height * 3), (big.Width, big.Height));
        for (int y = 0; y < big.Height; y++)
            for (int x = 0; x < big.Width; x++)
                Assert.Equal(small[x / 3, y / 3], big[x, y]);
    }

    [Fact]
    public void SamplesMakeAnEightByEightGrid()
    {
        var shape = DataShape.Grey(4, 5);
        var samples = new float[64 * shape.Features];
        for (int i = 0; i < 64; i++)
            samples.AsSpan(i * shape.Features, shape.Features).Fill(i / 63f);
        Image grid = ImageGrid.Samples(samples, shape);
        Assert.Equal(8 * (5 + 2) + 2, grid.Width);
        Assert.Equal(8 * (4 + 2) + 2, grid.Height);
        // Sample 8*r + c sits in row r, column c.
        Assert.Equal(ImageGrid.ToByte(19 / 63f), grid[2 + 3 * 7, 2 + 2 * 6]);
        Assert.Equal(ImageGrid.ToByte(63 / 63f), grid[2 + 7 * 7 + 4, 2 + 7 * 6 + 3]);
    }

    [Fact]
    public void ReconstructionsPutEachInputAboveItsReconstructionInBands()
    {
        var shape = DataShape.Grey(1, 1);
        float[] inputs = [0.1f, 0.2f, 0.3f, 0.4f];
        float[] recons = [0.6f, 0.7f, 0.8f, 0.9f];
        // 3 of the 4 pairs, 2 per band: inputs 0 1 / recons 0 1 / input 2 / recon 2.
        Image grid = ImageGrid.Reconstructions(inputs, recons, shape, n: 3, columns: 2, padding: 1, paddingValue: 0f);
        Assert.Equal((5, 9), (grid.Width, grid.Height));
        byte B(float v) => ImageGrid.ToByte(v);
        byte[] expected =
        [
            0, 0,      0, 0,      0,
            0, B(.1f), 0, B(.2f), 0,
            0, 0,      0, 0,      0,
            0, B(.6f), 0, B(.7f), 0,
            0, 0,      0, 0,      0,
            0, B(.3f), 0, 0,      0,
            0, 0,      0, 0,      0,
            0, B(.8f), 0, 0,      0,
            0, 0,      0, 0,      0,
        ];
        Assert.Equal(expected, grid.Pixels);
    }

    [Fact]
    public void ReconstructionsShowAllPairsWhenFewerThanN()
    {
        var shape = DataShape.Rgb(2, 2);
        var inputs = new float[3 * shape.Features];
        var recons = new float[3 * shape.Features];
        Image grid = ImageGrid.Reconstructions(inputs, recons, shape);
        Assert.Equal(3 * (2 + 2) + 2, grid.Width);
        Assert.Equal(2 * (2 + 2) + 2, grid.Height);
        Assert.Equal(3, grid.Channels);
    }

    [Fact]
    public void TensorOverloadsReadTheShapeOfAnNchwBatch()
    {
        var values = new float[2 * 3 * 2 * 2];
        for (int i = 0; i < values.Length; i++) values[i] = i / (float)values.Length;
        Tensor batch = Tensor.FromArray(values, 2, 3, 2, 2);
        Image fromTensor = ImageGrid.Samples(batch);
        Image fromSpan = ImageGrid.Samples(values, DataShape.Rgb(2, 2));
        Assert.Equal(fromSpan.Pixels, fromTensor.Pixels);

        Tensor flat = Tensor.FromArray(values, 2, 12);
        Assert.Equal(fromSpan.Pixels, ImageGrid.Samples(flat, DataShape.Rgb(2, 2)).Pixels);
        Image pairs = ImageGrid.Reconstructions(batch, batch);
        Assert.Equal(2 * (2 + 2) + 2, pairs.Height);
    }

    [Fact]
    public void TabularDataIsRejectedWithAClearMessage()
    {
        var e1 = Assert.Throws<ArgumentException>(() => ImageGrid.Samples(new float[10], DataShape.Grey(2, 2)));
        Assert.Contains("do not split into images of shape 1x2x2", e1.Message);

        Tensor tabular = Tensor.FromArray(new float[8], 4, 2);
        var e2 = Assert.Throws<ArgumentException>(() => ImageGrid.Samples(tabular));
        Assert.Contains("(N, C, H, W)", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => ImageGrid.Samples(tabular, DataShape.Grey(28, 28)));
        Assert.Contains("does not hold images of shape 1x28x28", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => ImageGrid.Samples(Tensor.FromArray(new float[8], 2, 4), new DataShape(2, 2, 1)));
        Assert.Contains("channels", e4.Message);
    }

    [Fact]
    public void BadLayoutArgumentsAreArgumentErrors()
    {
        float[] one = [0.5f];
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose(one, 1, 1, 1, 1, columns: 0));
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose(one, 1, 1, 1, 1, 1, padding: -1));
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose(one, 1, 1, 1, 1, 1, scale: 0));
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose(one, 2, 1, 1, 1, 1));
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose(one, 0, 1, 1, 1, 1));
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose(new float[2], 1, 2, 1, 1, 1));
        Assert.Throws<ArgumentException>(() => ImageGrid.Samples(ReadOnlySpan<float>.Empty, DataShape.Grey(1, 1)));
        Assert.Throws<ArgumentException>(() => ImageGrid.Reconstructions(new float[2], new float[3], DataShape.Grey(1, 1)));
        Assert.Throws<ArgumentException>(() => ImageGrid.Reconstructions(one, one, DataShape.Grey(1, 1), n: 0));
    }

    [Fact]
    public void AGridEncodesToAPngThatDecodesToTheSamePixels()
    {
        var shape = DataShape.Rgb(5, 4);
        var random = new Random(1);
        var values = new float[7 * shape.Features];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextSingle();
        Image grid = ImageGrid.Compose(values, 7, 3, 5, 4, columns: 3, scale: 2);
        DecodedPng png = PngTestDecoder.Decode(PngWriter.Encode(grid));
        Assert.Equal((grid.Width, grid.Height, 2), (png.Width, png.Height, png.ColorType));
        Assert.Equal(grid.Pixels, png.Pixels);
    }
}
