using Elbo.Engine.Kernels.Convolution;

namespace Elbo.Engine.Tests.Kernels;

public class PhaseAdjointTests
{
    // The reference: image (=, +=) col2im(Wᵀ · column) (+ bias) by direct loops.
    private static float[] Reference(float[] w, float[] columns, in ConvGeometry g, int o, int count, float[] start, bool overwrite, float[]? bias)
    {
        int k = g.ColRows, l = g.ColCols, width = count * l;
        var result = (float[])start.Clone();
        for (int n = 0; n < count; n++)
        {
            var cols = new float[k * l];
            for (int r = 0; r < k; r++)
                for (int j = 0; j < l; j++)
                {
                    double sum = 0;
                    for (int m = 0; m < o; m++) sum += (double)w[m * k + r] * columns[m * width + n * l + j];
                    cols[r * l + j] = (float)sum;
                }
            var image = new float[g.ImageSize];
            if (!overwrite && bias == null) Array.Copy(start, n * g.ImageSize, image, 0, g.ImageSize);
            if (bias != null)
                for (int c = 0; c < g.Channels; c++) image.AsSpan(c * g.Height * g.Width, g.Height * g.Width).Fill(bias[c]);
            Col2Im.Naive(cols, g, image);
            image.CopyTo(result, n * g.ImageSize);
        }
        return result;
    }

    [Theory]
    // channels, column channels, OutH, OutW, images side by side, mode (0 overwrite, 1 accumulate, 2 bias)
    [InlineData(1, 1, 1, 1, 1, 0)]
    [InlineData(2, 3, 3, 4, 1, 1)]
    [InlineData(3, 2, 5, 7, 3, 0)]      // rows of 7: one vector of four and three values
    [InlineData(3, 2, 5, 7, 3, 1)]
    [InlineData(2, 4, 4, 9, 2, 2)]
    [InlineData(4, 8, 7, 7, 9, 1)]      // the conv VAE's 14 → 7 layer shape, smaller channels, a group of 9
    [InlineData(3, 5, 14, 14, 1, 2)]    // the 14 → 28 transposed layer's sides
    public void PhasesGiveTheGemmAndCol2ImResult(int c, int o, int outH, int outW, int count, int mode)
    {
        var g = new ConvGeometry(c, 2 * outH, 2 * outW, 3, 3, 2, 1);
        Assert.True(PhaseAdjoint.Applies(g));
        Assert.Equal(outH, g.OutH);
        var gen = new Generator(5);
        var w = Tensor.Randn(gen, o * g.ColRows).ToArray();
        var columns = Tensor.Randn(gen, o * count * g.ColCols).ToArray();
        var start = Tensor.Randn(gen, count * g.ImageSize).ToArray();
        var bias = mode == 2 ? Tensor.Randn(gen, c).ToArray() : null;
        var expected = Reference(w, columns, g, o, count, start, mode == 0, bias);

        var packed = new float[PhaseAdjoint.WeightsSize(c, o)];
        PhaseAdjoint.PackWeights(w, c, o, packed);
        var scratch = new float[PhaseAdjoint.ScratchSize(c, o, count * g.ColCols)];
        scratch.AsSpan().Fill(float.NaN);   // nothing may be read before it is written
        var actual = (float[])start.Clone();
        PhaseAdjoint.Run(columns, count, packed, g, o, scratch, actual, overwrite: mode == 0, bias);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]} got {actual[i]}");
    }

    [Theory]
    [InlineData(3, 3, 2, 1, 10, 14, true)]
    [InlineData(3, 3, 2, 1, 9, 14, false)]   // odd height
    [InlineData(3, 3, 2, 0, 10, 14, false)]  // padding 0: OutH = H/2 − 1
    [InlineData(3, 3, 1, 1, 10, 14, false)]
    [InlineData(4, 4, 2, 1, 10, 14, false)]
    [InlineData(3, 2, 2, 1, 10, 14, false)]
    public void AppliesOnlyToStrideTwoThreeByThreePaddingOneOverEvenImages(int kh, int kw, int s, int p, int h, int w, bool applies)
        => Assert.Equal(applies, PhaseAdjoint.Applies(new ConvGeometry(2, h, w, kh, kw, s, p)));
}
