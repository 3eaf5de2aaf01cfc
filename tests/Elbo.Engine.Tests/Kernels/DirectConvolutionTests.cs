using Elbo.Engine.Kernels.Common;
using Elbo.Engine.Kernels.Convolution;

namespace Elbo.Engine.Tests.Kernels;

// The direct kernels one image at a time against loops over the definition: the weight gradient at every register
// width (the Vector512 path runs emulated where the machine lacks it), the forward and the adjoint at the machine's,
// in every mode, with NaN in the scratch before the pads (every element a kernel reads must be written first).
public class DirectConvolutionTests
{
    // x (C, H, W) at (c, y, x), zero outside the image.
    private static double At(float[] x, in ConvGeometry g, int c, int y, int xx)
        => y < 0 || y >= g.Height || xx < 0 || xx >= g.Width ? 0 : x[(c * g.Height + y) * g.Width + xx];

    public static TheoryData<int, int, int, int, int, int, int> Shapes => new()
    {
        // channels, column channels, H, W, kh, kw, padding
        { 32, 1, 28, 28, 3, 3, 1 },   // the conv VAE's last layer
        { 3, 2, 5, 7, 3, 3, 1 },      // rows shorter than one register
        { 2, 3, 9, 17, 3, 3, 0 },     // 17·15 values: Vector512, Vector256 and single-value remainders
        { 2, 4, 6, 33, 5, 3, 2 },     // 15 taps: two Dots passes (9 + 6)
        { 3, 1, 4, 40, 1, 1, 0 },     // one tap
        { 2, 2, 7, 12, 2, 4, 1 },     // eight taps, rectangular
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WeightGradientMatchesTheDefinitionAtEveryWidth(int c, int o, int h, int w, int kh, int kw, int p)
    {
        var g = new ConvGeometry(c, h, w, kh, kw, 1, p);
        var gen = new Generator(7);
        var image = Tensor.Randn(gen, g.ImageSize).ToArray();
        var column = Tensor.Randn(gen, o * g.ColCols).ToArray();
        var start = Tensor.Randn(gen, o * g.ColRows).ToArray();
        var expected = new double[o * g.ColRows];
        for (int m = 0; m < o; m++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                    {
                        double sum = 0;
                        for (int y = 0; y < g.OutH; y++)
                            for (int x = 0; x < g.OutW; x++)
                                sum += column[(m * g.OutH + y) * g.OutW + x] * At(image, g, ch, y + i - p, x + j - p);
                        expected[((m * c + ch) * kh + i) * kw + j] = sum;
                    }
        foreach (var width in new[] { KernelWidth.Scalar, KernelWidth.Vector256, KernelWidth.Vector512 })
            foreach (bool overwrite in new[] { true, false })
            {
                var scratch = new float[DirectConvolution.ScratchSize(g, o)];
                scratch.AsSpan().Fill(float.NaN);
                DirectConvolution.Partition(scratch, g, o, out var padded, out var spread, out _);
                DirectConvolution.PadImage(image, g, padded);
                DirectConvolution.SpreadColumns(column, g, o, spread);
                var dw = (float[])start.Clone();
                DirectConvolution.WeightGrad(spread, padded, g, o, dw, overwrite, width);
                for (int k = 0; k < dw.Length; k++)
                {
                    double want = expected[k] + (overwrite ? 0 : start[k]);
                    Assert.True(Math.Abs(want - dw[k]) <= 1e-4 * (1 + Math.Abs(want)), $"{width} overwrite={overwrite} dW[{k}]: expected {want} got {dw[k]}");
                }
            }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndAdjointMatchTheDefinition(int c, int o, int h, int w, int kh, int kw, int p)
    {
        var g = new ConvGeometry(c, h, w, kh, kw, 1, p);
        var gen = new Generator(11);
        var image = Tensor.Randn(gen, g.ImageSize).ToArray();
        var column = Tensor.Randn(gen, o * g.ColCols).ToArray();
        var weight = Tensor.Randn(gen, o * g.ColRows).ToArray();
        var columnBias = Tensor.Randn(gen, o).ToArray();
        var imageBias = Tensor.Randn(gen, c).ToArray();
        var columnStart = Tensor.Randn(gen, column.Length).ToArray();
        var imageStart = Tensor.Randn(gen, image.Length).ToArray();
        double W(int m, int ch, int i, int j) => weight[((m * c + ch) * kh + i) * kw + j];
        for (int mode = 0; mode < 3; mode++)   // overwrite, accumulate, bias
        {
            var scratch = new float[DirectConvolution.ScratchSize(g, o)];
            scratch.AsSpan().Fill(float.NaN);
            DirectConvolution.Partition(scratch, g, o, out var padded, out var columns, out var plane);
            DirectConvolution.PadImage(image, g, padded);
            var forward = (float[])columnStart.Clone();
            DirectConvolution.Forward(padded, weight, mode == 2 ? columnBias : default, g, o, forward, overwrite: mode == 0, plane);
            for (int m = 0; m < o; m++)
                for (int y = 0; y < g.OutH; y++)
                    for (int x = 0; x < g.OutW; x++)
                    {
                        int at = (m * g.OutH + y) * g.OutW + x;
                        double want = mode == 2 ? columnBias[m] : mode == 1 ? columnStart[at] : 0;
                        for (int ch = 0; ch < c; ch++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++) want += W(m, ch, i, j) * At(image, g, ch, y + i - p, x + j - p);
                        Assert.True(Math.Abs(want - forward[at]) <= 1e-4 * (1 + Math.Abs(want)), $"mode {mode} forward[{at}]: expected {want} got {forward[at]}");
                    }

            // the adjoint: image[c, y, x] = Σ over the outputs (m, oy, ox) that read (y, x) of w · column
            DirectConvolution.PadColumns(column, g, o, columns);
            var adjoint = (float[])imageStart.Clone();
            DirectConvolution.Adjoint(columns, weight, mode == 2 ? imageBias : default, g, o, adjoint, overwrite: mode == 0, plane);
            var want2 = new double[image.Length];
            for (int k = 0; k < want2.Length; k++) want2[k] = mode == 2 ? imageBias[k / (h * w)] : mode == 1 ? imageStart[k] : 0;
            for (int m = 0; m < o; m++)
                for (int oy = 0; oy < g.OutH; oy++)
                    for (int ox = 0; ox < g.OutW; ox++)
                        for (int ch = 0; ch < c; ch++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int y = oy + i - p, x = ox + j - p;
                                    if (y >= 0 && y < h && x >= 0 && x < w)
                                        want2[(ch * h + y) * w + x] += W(m, ch, i, j) * column[(m * g.OutH + oy) * g.OutW + ox];
                                }
            for (int k = 0; k < want2.Length; k++)
                Assert.True(Math.Abs(want2[k] - adjoint[k]) <= 1e-4 * (1 + Math.Abs(want2[k])), $"mode {mode} adjoint[{k}]: expected {want2[k]} got {adjoint[k]}");
        }
    }
}
