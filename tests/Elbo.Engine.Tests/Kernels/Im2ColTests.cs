using Elbo.Engine.Kernels.Convolution;

namespace Elbo.Engine.Tests.Kernels;

public class Im2ColTests
{
    public static TheoryData<int, int, int, int, int, int, int> Geometries => new()
    {
        // channels, height, width, kh, kw, stride, padding
        { 1, 5, 7, 3, 3, 1, 0 },
        { 2, 5, 7, 3, 3, 1, 1 },
        { 2, 5, 7, 3, 3, 2, 1 },
        { 3, 5, 7, 2, 2, 2, 0 },
        { 1, 5, 7, 3, 2, 3, 2 },
        { 2, 4, 4, 3, 3, 2, 2 },
        { 1, 1, 1, 3, 3, 1, 1 },
        { 2, 6, 3, 1, 1, 1, 0 },
        { 1, 28, 28, 3, 3, 2, 1 },
        { 3, 28, 28, 3, 3, 1, 1 },   // stride 1, same size: the shifted-copy path
        { 2, 7, 9, 5, 5, 1, 2 },     // same, 5×5
        { 2, 6, 8, 3, 3, 1, 2 },     // stride 1, output wider than the input: the row path
        { 2, 14, 14, 3, 3, 2, 1 },
        { 1, 3, 3, 3, 3, 1, 3 },     // padding beyond the kernel: some rows of cols are all zero
        { 2, 9, 70, 3, 3, 2, 1 },    // stride 2, rows of 35 outputs: vector chunks of 16, 16 and 3
        { 1, 5, 66, 2, 2, 2, 0 },    // stride 2, rows of 33: the last chunk reads one value
        { 2, 9, 11, 5, 5, 2, 2 },    // stride 2 through phase planes: odd sides, taps two phase rows away
        { 2, 7, 6, 3, 3, 2, 3 },     // stride 2, padding beyond the kernel through phase planes
        { 1, 64, 64, 3, 3, 2, 1 },   // the VanillaVAE's first layer: 32×32 outputs, four padded phases of 33×33
        { 1, 130, 130, 3, 3, 2, 1 }, // stride 2, phases too big for the stack: the strided gathers
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void FastIm2ColMatchesNaiveReference(int c, int h, int w, int kh, int kw, int s, int p)
    {
        var g = new ConvGeometry(c, h, w, kh, kw, s, p);
        var image = Tensor.Randn(new Generator(1), c, h, w).ToArray();
        var expected = new float[g.ColRows * g.ColCols];
        var actual = new float[expected.Length];
        actual.AsSpan().Fill(float.NaN); // every element must be written
        Im2Col.Naive(image, g, expected);
        Im2Col.Forward(image, g, actual);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void FastCol2ImMatchesNaiveReferenceAndAccumulates(int c, int h, int w, int kh, int kw, int s, int p)
    {
        var g = new ConvGeometry(c, h, w, kh, kw, s, p);
        var cols = Tensor.Randn(new Generator(2), g.ColRows * g.ColCols).ToArray();
        var start = Tensor.Randn(new Generator(3), c * h * w).ToArray();
        var expected = (float[])start.Clone();
        var actual = (float[])start.Clone();
        Col2Im.Naive(cols, g, expected);
        Col2Im.Accumulate(cols, g, actual);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Col2ImIsTheAdjointOfIm2Col(int c, int h, int w, int kh, int kw, int s, int p)
    {
        // <im2col(x), y> == <x, col2im(y)>
        var g = new ConvGeometry(c, h, w, kh, kw, s, p);
        var x = Tensor.Randn(new Generator(4), c * h * w).ToArray();
        var y = Tensor.Randn(new Generator(5), g.ColRows * g.ColCols).ToArray();
        var cols = new float[y.Length];
        Im2Col.Forward(x, g, cols);
        var back = new float[x.Length];
        Col2Im.Accumulate(y, g, back);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < y.Length; i++) lhs += (double)cols[i] * y[i];
        for (int i = 0; i < x.Length; i++) rhs += (double)x[i] * back[i];
        Assert.Equal(lhs, rhs, 3);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void StridedColumnsLandInTheirBlockAndLeaveTheRestAlone(int c, int h, int w, int kh, int kw, int s, int p)
    {
        // the columns of image 1 of a batch of 2: rows 2·L apart, starting at column L
        var g = new ConvGeometry(c, h, w, kh, kw, s, p);
        int l = g.ColCols, ld = 2 * l;
        var image = Tensor.Randn(new Generator(6), c, h, w).ToArray();
        var expected = new float[g.ColRows * l];
        Im2Col.Naive(image, g, expected);
        var batch = new float[g.ColRows * ld];
        batch.AsSpan().Fill(7f);
        Im2Col.Forward(image, g, batch.AsSpan(l), ld);
        for (int r = 0; r < g.ColRows; r++)
        {
            Assert.Equal(expected.AsSpan(r * l, l).ToArray(), batch.AsSpan(r * ld + l, l).ToArray());
            Assert.All(batch.AsSpan(r * ld, l).ToArray(), v => Assert.Equal(7f, v));
        }
        var back = new float[image.Length];
        var backNaive = new float[image.Length];
        Col2Im.Accumulate(batch.AsSpan(l), g, back, ld);
        Col2Im.Naive(expected, g, backNaive);
        for (int i = 0; i < back.Length; i++) Assert.Equal(backNaive[i], back[i], 4);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(14, 14)]
    [InlineData(28, 28)]
    [InlineData(15, 16)]
    [InlineData(17, 5)]
    [InlineData(31, 3)]
    [InlineData(32, 4)]
    [InlineData(33, 7)]
    [InlineData(70, 9)]
    public void SplittingRowsByParityFillsTheFourPhasePlanesAndNothingElse(int width, int rows)
    {
        // source rows 2 floats wider than the image row, so a read past a row's end would pick up a marker
        int stride = width + 2, pitch = (width + 1) / 2 + 3, planeRows = (rows + 1) / 2, plane = planeRows * pitch;
        var rng = new Random(width * 100 + rows);
        var source = new float[rows * stride];
        for (int i = 0; i < source.Length; i++) source[i] = i % stride < width ? (float)rng.NextDouble() : 1e9f;
        var planes = new float[4 * plane + 1];
        Array.Fill(planes, -7f);
        StrideTwo.SplitPhases(ref source[0], stride, width, rows, ref planes[0], ref planes[plane], ref planes[2 * plane],
            ref planes[3 * plane], pitch);
        var expected = new float[planes.Length];
        Array.Fill(expected, -7f);
        for (int r = 0; r < rows; r++)
            for (int x = 0; x < width; x++)
                expected[(2 * (r & 1) + (x & 1)) * plane + (r >> 1) * pitch + (x >> 1)] = source[r * stride + x];
        Assert.Equal(expected, planes);
    }

    [Fact]
    public void Im2ColOfASmallImageByHand()
    {
        // 1 channel 2x2 image [[1,2],[3,4]], 2x2 kernel, padding 1, stride 1: 3x3 output positions
        var g = new ConvGeometry(1, 2, 2, 2, 2, 1, 1);
        var cols = new float[4 * 9];
        Im2Col.Forward([1, 2, 3, 4], g, cols);
        // row (i=0,j=0): image[oy-1, ox-1]
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 2, 0, 3, 4 }, cols[..9]);
        // row (i=1,j=1): image[oy, ox]
        Assert.Equal(new float[] { 1, 2, 0, 3, 4, 0, 0, 0, 0 }, cols[27..]);
    }

    [Fact]
    public void TooSmallBuffersAreRejected()
    {
        var g = new ConvGeometry(1, 3, 3, 2, 2, 1, 0);
        Assert.Throws<ArgumentException>(() => Im2Col.Forward(new float[9], g, new float[15]));
        Assert.Throws<ArgumentException>(() => Col2Im.Accumulate(new float[16], g, new float[8]));
    }
}
