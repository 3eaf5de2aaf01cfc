using Elbo.Engine.Autograd.Functions;
using Elbo.Engine.Nn;
using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Autograd;

public class ConvolutionGradTests
{
    // Convolutions are linear in each input, so central differences are exact for any step: a large step keeps the
    // float32 rounding of the forward (which depends on the GEMM backend's summation order) out of the numeric gradient.
    private const float Eps = 0.05f;

    // ---- direct-loop oracles

    private static float[] NaiveConv2d(Tensor x, Tensor w, Tensor? b, int s, int p)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), o = w.Dim(0), kh = w.Dim(2), kw = w.Dim(3);
        int ho = (h + 2 * p - kh) / s + 1, wo = (wd + 2 * p - kw) / s + 1;
        var y = new float[n * o * ho * wo];
        for (int i = 0; i < n; i++)
            for (int oc = 0; oc < o; oc++)
                for (int oy = 0; oy < ho; oy++)
                    for (int ox = 0; ox < wo; ox++)
                    {
                        double acc = b?[oc] ?? 0f;
                        for (int ic = 0; ic < c; ic++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int iy = oy * s - p + ky, ix = ox * s - p + kx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                    acc += x[i, ic, iy, ix] * w[oc, ic, ky, kx];
                                }
                        y[((i * o + oc) * ho + oy) * wo + ox] = (float)acc;
                    }
        return y;
    }

    // PyTorch definition: y[n, o, iy·s − p + ky, ix·s − p + kx] += x[n, c, iy, ix] · w[c, o, ky, kx]
    private static float[] NaiveConvTranspose2d(Tensor x, Tensor w, Tensor? b, int s, int p, int op)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), o = w.Dim(1), kh = w.Dim(2), kw = w.Dim(3);
        int ho = (h - 1) * s - 2 * p + kh + op, wo = (wd - 1) * s - 2 * p + kw + op;
        var y = new double[n * o * ho * wo];
        for (int i = 0; i < n; i++)
            for (int oc = 0; oc < o; oc++)
                for (int k = 0; k < ho * wo; k++) y[(i * o + oc) * ho * wo + k] = b?[oc] ?? 0f;
        for (int i = 0; i < n; i++)
            for (int ic = 0; ic < c; ic++)
                for (int iy = 0; iy < h; iy++)
                    for (int ix = 0; ix < wd; ix++)
                        for (int oc = 0; oc < o; oc++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int oy = iy * s - p + ky, ox = ix * s - p + kx;
                                    if (oy < 0 || oy >= ho || ox < 0 || ox >= wo) continue;
                                    y[((i * o + oc) * ho + oy) * wo + ox] += x[i, ic, iy, ix] * w[ic, oc, ky, kx];
                                }
        return Array.ConvertAll(y, v => (float)v);
    }

    private static void AssertClose(float[] expected, Tensor actual)
    {
        Assert.Equal(expected.Length, actual.Numel);
        var a = actual.Data;
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) <= 1e-4f + 1e-4f * Math.Abs(expected[i]),
                $"element {i}: expected {expected[i]} got {a[i]}");
    }

    // ---- conv2d

    public static TheoryData<int, int, int, int, int, int, int> Conv2dCases => new()
    {
        // n, c, o, k, stride, padding, (unused: 0)
        { 2, 2, 3, 3, 1, 0, 0 },
        { 2, 2, 3, 3, 1, 1, 0 },
        { 1, 3, 2, 3, 2, 1, 0 },
        { 2, 1, 2, 2, 2, 0, 0 },
        { 1, 2, 2, 3, 3, 2, 0 },
        { 3, 2, 1, 2, 1, 2, 0 },
    };

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void Conv2dForwardMatchesDirectLoops(int n, int c, int o, int k, int s, int p, int unused)
    {
        _ = unused;
        var g = new Generator(10);
        var x = Tensor.Randn(g, n, c, 5, 7);
        var w = Tensor.Randn(g, o, c, k, k);
        var b = Tensor.Randn(g, o);
        var y = Functional.Conv2d(x, w, b, s, p);
        Assert.Equal(new[] { n, o, (5 + 2 * p - k) / s + 1, (7 + 2 * p - k) / s + 1 }, y.ShapeArray());
        AssertClose(NaiveConv2d(x, w, b, s, p), y);
        AssertClose(NaiveConv2d(x, w, null, s, p), Functional.Conv2d(x, w, null, s, p));
    }

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void Conv2dGradientsMatchWrtInputWeightAndBias(int n, int c, int o, int k, int s, int p, int unused)
    {
        _ = unused;
        var g = new Generator(11);
        var x = GradCheck.Param(g, n, c, 5, 7);
        var w = GradCheck.Param(g, o, c, k, k);
        var b = GradCheck.Param(g, o);
        GradCheck.Check(t => Functional.Conv2d(t[0], t[1], t[2], s, p), [x, w, b], eps: Eps);
    }

    [Fact]
    public void Conv2dRectangularKernelForwardAndGradients()
    {
        var g = new Generator(12);
        var x = GradCheck.Param(g, 2, 2, 5, 7);
        var w = GradCheck.Param(g, 3, 2, 3, 2);
        AssertClose(NaiveConv2d(x, w, null, 2, 1), Functional.Conv2d(x, w, null, 2, 1));
        GradCheck.Check(t => Functional.Conv2d(t[0], t[1], null, 2, 1), [x, w], eps: Eps);
    }

    [Fact]
    public void Conv2dGradientsAccumulateAcrossTwoBackwardPasses()
    {
        var g = new Generator(13);
        var x = GradCheck.Param(g, 3, 2, 5, 5);
        var w = GradCheck.Param(g, 2, 2, 3, 3);
        var b = GradCheck.Param(g, 2);
        Functional.Conv2d(x, w, b, 2, 1).Sum().Backward();
        var gx = x.Grad!.ToArray();
        var gw = w.Grad!.ToArray();
        var gb = b.Grad!.ToArray();
        Functional.Conv2d(x, w, b, 2, 1).Sum().Backward();
        for (int i = 0; i < gx.Length; i++) Assert.Equal(2 * gx[i], x.Grad!.Data[i], 1e-4f * (1 + Math.Abs(gx[i])));
        for (int i = 0; i < gw.Length; i++) Assert.Equal(2 * gw[i], w.Grad!.Data[i], 1e-4f * (1 + Math.Abs(gw[i])));
        for (int i = 0; i < gb.Length; i++) Assert.Equal(2 * gb[i], b.Grad!.Data[i], 1e-4f * (1 + Math.Abs(gb[i])));
    }

    [Fact]
    public void Conv2dOnlyWeightRequiresGrad()
    {
        var g = new Generator(14);
        var x = Tensor.Randn(g, 2, 2, 5, 7);
        var w = GradCheck.Param(g, 3, 2, 3, 3);
        GradCheck.Check(t => Functional.Conv2d(t[0], t[1], null, 1, 1), [x, w], eps: Eps);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Conv2dInsideAnArenaStepMatchesHeapResultOnTheSecondStep()
    {
        var g = new Generator(15);
        var x = Tensor.Randn(g, 3, 2, 6, 6);
        var w = GradCheck.Param(g, 4, 2, 3, 3);
        var b = GradCheck.Param(g, 4);
        var expected = NaiveConv2d(x, w, b, 2, 1);
        var arena = new TensorArena();
        for (int step = 0; step < 2; step++)
        {
            w.ZeroGrad();
            using (arena.Step())
            {
                var y = Functional.Conv2d(x, w, b, 2, 1);
                AssertClose(expected, y);
                y.Sum().Backward();
            }
        }
        Assert.NotNull(w.Grad);
    }

    [Fact]
    public void ConvForwardAndBackwardInAnArenaStepAllocateNothingAfterWarmUp()
    {
        var g = new Generator(17);
        var x = GradCheck.Param(g, 4, 3, 8, 8);
        var w = GradCheck.Param(g, 5, 3, 3, 3);
        var wt = GradCheck.Param(g, 5, 2, 3, 3);
        var b = GradCheck.Param(g, 2);
        var arena = new TensorArena();
        long before = 0;
        for (int step = 0; step < 4; step++)
        {
            if (step == 3) before = GC.GetAllocatedBytesForCurrentThread();
            x.ZeroGrad(); w.ZeroGrad(); wt.ZeroGrad(); b.ZeroGrad();
            using (arena.Step())
            {
                var h = Conv2dFunction.Forward(x, w, null, 2, 1);
                var y = ConvTranspose2dFunction.Forward(h, wt, b, 2, 1, 1);
                y.Sum().Backward();
            }
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(1L)]     // one image per GEMM
    [InlineData(500L)]   // two of the conv's images per GEMM (its im2col is 27×9 = 243 floats): a chunk of 3 is 2 + 1
    [InlineData(1L << 30)] // a chunk in one GEMM
    public void ImagesGroupedSideBySideGiveWhatOneImageAtATimeGives(long groupFloats)
    {
        long saved = ConvolutionCore.GroupFloats;
        try
        {
            ConvolutionCore.GroupFloats = groupFloats;
            var g = new Generator(19);
            var x = GradCheck.Param(g, 7, 3, 6, 5);
            var w = GradCheck.Param(g, 5, 3, 3, 3);   // K = 27, L = 3·3 = 9
            var b = GradCheck.Param(g, 5);
            AssertClose(NaiveConv2d(x, w, b, 2, 1), Functional.Conv2d(x, w, b, 2, 1));
            GradCheck.Check(t => Functional.Conv2d(t[0], t[1], t[2], 2, 1), [x, w, b], eps: Eps);
            var wt = GradCheck.Param(g, 3, 4, 3, 3);
            AssertClose(NaiveConvTranspose2d(x, wt, null, 2, 1, 1), Functional.ConvTranspose2d(x, wt, null, 2, 1, 1));
            GradCheck.Check(t => Functional.ConvTranspose2d(t[0], t[1], null, 2, 1, 1), [x, wt], eps: Eps);
            // an even 6×8 image: the conv2d's input gradient is the adjoint PhaseAdjoint computes (L = 3·4 = 12)
            var even = GradCheck.Param(g, 7, 3, 6, 8);
            GradCheck.Check(t => Functional.Conv2d(t[0], t[1], t[2], 2, 1), [even, w, b], eps: Eps);
        }
        finally
        {
            ConvolutionCore.GroupFloats = saved;
        }
    }

    // ---- the direct path (stride 1, at most DirectConvolution.MaxColumnChannels output channels: no im2col, no GEMM)

    public static TheoryData<int, int, int, int, int, int> DirectCases => new()
    {
        // n, c, o, kh, kw, padding — the VAE's last layer (C → 1, 3×3, same padding), no padding, wide padding,
        // rectangular and 1×1 kernels, the largest O that goes direct
        { 3, 8, 1, 3, 3, 1 },
        { 2, 3, 2, 3, 3, 0 },
        { 2, 2, 3, 3, 3, 2 },
        { 2, 3, 2, 3, 2, 1 },
        { 2, 4, 3, 1, 1, 0 },
        { 5, 2, 4, 5, 3, 2 },
        { 2, 16, 1, 3, 3, 1 },   // 16 input planes: two full groups of 7 in one tap table each, then 2
    };

    [Theory]
    [MemberData(nameof(DirectCases))]
    public void DirectStrideOneConvolutionMatchesDirectLoopsAndItsGradients(int n, int c, int o, int kh, int kw, int p)
    {
        Assert.True(o <= Elbo.Engine.Kernels.Convolution.DirectConvolution.MaxColumnChannels);
        var g = new Generator(18);
        var x = GradCheck.Param(g, n, c, 9, 11);
        var w = GradCheck.Param(g, o, c, kh, kw);
        var b = GradCheck.Param(g, o);
        AssertClose(NaiveConv2d(x, w, b, 1, p), Functional.Conv2d(x, w, b, 1, p));
        GradCheck.Check(t => Functional.Conv2d(t[0], t[1], t[2], 1, p), [x, w, b], eps: Eps);
        // conv_transpose2d with few input channels runs its forward as the direct adjoint
        var wt = GradCheck.Param(g, o, c, kh, kw);
        var z = GradCheck.Param(g, n, o, 9, 11);
        AssertClose(NaiveConvTranspose2d(z, wt, null, 1, Math.Min(p, Math.Min(kh, kw) - 1), 0),
            Functional.ConvTranspose2d(z, wt, null, 1, Math.Min(p, Math.Min(kh, kw) - 1)));
        GradCheck.Check(t => Functional.ConvTranspose2d(t[0], t[1], null, 1, Math.Min(p, Math.Min(kh, kw) - 1)), [z, wt], eps: Eps);
    }

    // ---- conv_transpose2d

    public static TheoryData<int, int, int, int, int, int, int> TransposeCases => new()
    {
        // n, cin, cout, k, stride, padding, output_padding
        { 2, 2, 3, 3, 1, 0, 0 },
        { 2, 2, 3, 3, 2, 1, 1 },
        { 1, 3, 2, 3, 2, 1, 0 },
        { 2, 1, 2, 2, 2, 0, 1 },
        { 1, 2, 2, 3, 3, 2, 1 },
        { 1, 2, 2, 3, 3, 0, 2 },
        { 3, 2, 1, 2, 1, 1, 0 },
    };

    [Theory]
    [MemberData(nameof(TransposeCases))]
    public void ConvTranspose2dForwardMatchesDirectLoops(int n, int cin, int cout, int k, int s, int p, int op)
    {
        var g = new Generator(20);
        var x = Tensor.Randn(g, n, cin, 5, 7);
        var w = Tensor.Randn(g, cin, cout, k, k);
        var b = Tensor.Randn(g, cout);
        var y = Functional.ConvTranspose2d(x, w, b, s, p, op);
        Assert.Equal(new[] { n, cout, 4 * s - 2 * p + k + op, 6 * s - 2 * p + k + op }, y.ShapeArray());
        AssertClose(NaiveConvTranspose2d(x, w, b, s, p, op), y);
        AssertClose(NaiveConvTranspose2d(x, w, null, s, p, op), Functional.ConvTranspose2d(x, w, null, s, p, op));
    }

    [Theory]
    [MemberData(nameof(TransposeCases))]
    public void ConvTranspose2dGradientsMatchWrtInputWeightAndBias(int n, int cin, int cout, int k, int s, int p, int op)
    {
        var g = new Generator(21);
        var x = GradCheck.Param(g, n, cin, 5, 7);
        var w = GradCheck.Param(g, cin, cout, k, k);
        var b = GradCheck.Param(g, cout);
        GradCheck.Check(t => Functional.ConvTranspose2d(t[0], t[1], t[2], s, p, op), [x, w, b], eps: Eps);
    }

    [Fact]
    public void ConvTranspose2dGradientsWhenOnlyOneOperandRequiresGrad()
    {
        var g = new Generator(24);
        var x = GradCheck.Param(g, 2, 2, 4, 5);
        var w = Tensor.Randn(g, 2, 3, 3, 3);
        GradCheck.Check(t => Functional.ConvTranspose2d(t[0], t[1], null, 2, 1, 1), [x, w], eps: Eps);
        var x2 = Tensor.Randn(g, 2, 2, 4, 5);
        var w2 = GradCheck.Param(g, 2, 3, 3, 3);
        GradCheck.Check(t => Functional.ConvTranspose2d(t[0], t[1], null, 2, 1, 1), [x2, w2], eps: Eps);
    }

    [Fact]
    public void ConvTranspose2dUndoesTheShapeOfAStride2Conv()
    {
        // the PyTorch-VAE decoder block: 7 → 14 with k3 s2 p1 op1
        var g = new Generator(22);
        var x = Tensor.Randn(g, 2, 4, 7, 7);
        var w = Tensor.Randn(g, 4, 3, 3, 3);
        Assert.Equal(new[] { 2, 3, 14, 14 }, Functional.ConvTranspose2d(x, w, null, 2, 1, 1).ShapeArray());
    }

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void ConvTranspose2dIsTheAdjointOfConv2d(int n, int c, int o, int k, int s, int p, int unused)
    {
        // <conv2d(x; w), u> = <x, conv_transpose2d(u; w)> for the same weight read as (O,C,kh,kw) and (Cin=O,Cout=C,kh,kw).
        _ = unused;
        var g = new Generator(25);
        var x = Tensor.Randn(g, n, c, 5, 7);
        var w = Tensor.Randn(g, o, c, k, k);
        var y = Functional.Conv2d(x, w, null, s, p);
        var u = Tensor.Randn(g, y.ShapeArray());
        int op = (5 + 2 * p - k) % s;  // the output padding that gives back 5 rows; 7 columns need the same here or none
        if ((7 + 2 * p - k) % s != op) return;
        var back = Functional.ConvTranspose2d(u, w, null, s, p, op);
        Assert.Equal(x.ShapeArray(), back.ShapeArray());
        double lhs = 0, rhs = 0;
        for (int i = 0; i < y.Numel; i++) lhs += (double)y.Data[i] * u.Data[i];
        for (int i = 0; i < x.Numel; i++) rhs += (double)x.Data[i] * back.Data[i];
        Assert.True(Math.Abs(lhs - rhs) <= 1e-4 * (1 + Math.Abs(lhs)), $"<conv(x), u> = {lhs}, <x, conv_transpose(u)> = {rhs}");
    }

    // ---- errors

    [Fact]
    public void Conv2dErrorsNameTheOpAndShapes()
    {
        var x = Tensor.Zeros(2, 3, 5, 5);
        var e = Assert.Throws<ArgumentException>(() => Functional.Conv2d(x, Tensor.Zeros(4, 2, 3, 3)));
        Assert.StartsWith("conv2d: input (2,3,5,5) and weight (4,2,3,3): channels 3 and 2 differ", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.Conv2d(Tensor.Zeros(3, 5, 5), Tensor.Zeros(4, 3, 3, 3)));
        Assert.StartsWith("conv2d: input (3,5,5) must be 4-D", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.Conv2d(x, Tensor.Zeros(4, 3, 3)));
        Assert.StartsWith("conv2d: weight (4,3,3) must be 4-D", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.Conv2d(x, Tensor.Zeros(4, 3, 7, 7), padding: 0));
        Assert.StartsWith("conv2d: kernel 7x7", e.Message);
        Assert.Contains("larger than the padded input 5x5", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.Conv2d(x, Tensor.Zeros(4, 3, 3, 3), stride: 0));
        Assert.StartsWith("conv2d: stride 0 must be positive", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.Conv2d(x, Tensor.Zeros(4, 3, 3, 3), padding: -1));
        Assert.StartsWith("conv2d: padding -1 must not be negative", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.Conv2d(x, Tensor.Zeros(4, 3, 3, 3), Tensor.Zeros(3)));
        Assert.StartsWith("conv2d: bias (3,) does not match weight (4,3,3,3)", e.Message);
    }

    [Fact]
    public void ConvTranspose2dErrorsNameTheOpAndShapes()
    {
        var x = Tensor.Zeros(2, 3, 5, 5);
        var e = Assert.Throws<ArgumentException>(() => Functional.ConvTranspose2d(x, Tensor.Zeros(4, 3, 3, 3)));
        Assert.StartsWith("conv_transpose2d: input (2,3,5,5) and weight (4,3,3,3): channels 3 and 4 differ", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.ConvTranspose2d(x, Tensor.Zeros(3, 2, 3, 3), stride: 2, outputPadding: 2));
        Assert.StartsWith("conv_transpose2d: output_padding 2 must be in [0, stride 2)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.ConvTranspose2d(x, Tensor.Zeros(3, 2, 3, 3), outputPadding: 1));
        Assert.StartsWith("conv_transpose2d: output_padding 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.ConvTranspose2d(x, Tensor.Zeros(3, 2, 3, 3), stride: -1));
        Assert.StartsWith("conv_transpose2d: stride -1 must be positive", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.ConvTranspose2d(x, Tensor.Zeros(3, 2, 3, 3), Tensor.Zeros(3)));
        Assert.StartsWith("conv_transpose2d: bias (3,) does not match weight (3,2,3,3) (need (2,))", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.ConvTranspose2d(Tensor.Zeros(1, 3, 1, 1), Tensor.Zeros(3, 2, 3, 3), padding: 2));
        Assert.StartsWith("conv_transpose2d: input (1,3,1,1)", e.Message);
        Assert.Contains("empty output", e.Message);
    }
}
