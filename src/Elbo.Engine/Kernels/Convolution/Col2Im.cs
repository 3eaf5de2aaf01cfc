using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Elbo.Engine.Kernels.Convolution;

/// <summary>col2im for one NCHW image, the adjoint of <see cref="Im2Col"/>: every element of the column matrix is added
/// back to the image position it was read from (entries that fell in the padding are dropped).</summary>
public static class Col2Im
{
    /// <summary>Adds the column matrix <paramref name="cols"/> (C·kh·kw, OutH·OutW) into <paramref name="image"/>
    /// (C,H,W). Clear the image first for a plain col2im.</summary>
    public static void Accumulate(ReadOnlySpan<float> cols, in ConvGeometry g, Span<float> image)
        => Accumulate(cols, g, image, g.OutH * g.OutW);

    /// <summary>Like <see cref="Accumulate(ReadOnlySpan{float}, in ConvGeometry, Span{float})"/> with the rows of the
    /// column matrix <paramref name="ldCols"/> elements apart (≥ OutH·OutW).</summary>
    public static void Accumulate(ReadOnlySpan<float> cols, in ConvGeometry g, Span<float> image, int ldCols)
    {
        Im2Col.Check(image, g, cols, ldCols);
        int h = g.Height, w = g.Width, s = g.Stride, p = g.Padding, outH = g.OutH, outW = g.OutW;
        int plane = h * w;
        ref float cols0 = ref MemoryMarshal.GetReference(cols);
        ref float image0 = ref MemoryMarshal.GetReference(image);
        int row = 0;
        Span<int> yRanges = stackalloc int[2 * g.KernelH], xRanges = stackalloc int[2 * g.KernelW];
        g.ValidRanges(yRanges, xRanges);
        for (int c = 0; c < g.Channels; c++)
        {
            ref float dst = ref Unsafe.Add(ref image0, c * plane);
            for (int i = 0; i < g.KernelH; i++)
            {
                int yLo = yRanges[2 * i], yHi = yRanges[2 * i + 1];
                for (int j = 0; j < g.KernelW; j++, row++)
                {
                    ref float srcRow = ref Unsafe.Add(ref cols0, row * ldCols);
                    int xLo = xRanges[2 * j], xHi = xRanges[2 * j + 1];
                    int n = xHi - xLo;
                    if (n == 0 || yHi <= yLo) continue;
                    if (s == 2)
                    {
                        StrideTwo.ScatterAddRows(ref Unsafe.Add(ref srcRow, yLo * outW + xLo), outW,
                            ref Unsafe.Add(ref dst, (yLo * 2 - p + i) * w + xLo * 2 - p + j), 2 * w, n, yHi - yLo);
                        continue;
                    }
                    for (int oy = yLo; oy < yHi; oy++)
                    {
                        ref float src = ref Unsafe.Add(ref srcRow, oy * outW + xLo);
                        ref float target = ref Unsafe.Add(ref dst, (oy * s - p + i) * w + xLo * s - p + j);
                        if (s == 1) AddInPlace(ref target, ref src, n);
                        else
                            for (int k = 0; k < n; k++) Unsafe.Add(ref target, k * s) += Unsafe.Add(ref src, k);
                    }
                }
            }
        }
    }

    // target[0..n) += source[0..n): rows of a few dozen values, so inline vectors rather than a library call per row.
    private static void AddInPlace(ref float target, ref float source, int n)
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
                (Vector256.LoadUnsafe(ref target, (nuint)k) + Vector256.LoadUnsafe(ref source, (nuint)k)).StoreUnsafe(ref target, (nuint)k);
        for (; k < n; k++) Unsafe.Add(ref target, k) += Unsafe.Add(ref source, k);
    }

    /// <summary>The direct-loop reference of <see cref="Accumulate(ReadOnlySpan{float}, in ConvGeometry, Span{float})"/> (test oracle).</summary>
    public static void Naive(ReadOnlySpan<float> cols, in ConvGeometry g, Span<float> image)
    {
        Im2Col.Check(image, g, cols);
        int colCols = g.OutH * g.OutW;
        for (int c = 0; c < g.Channels; c++)
            for (int i = 0; i < g.KernelH; i++)
                for (int j = 0; j < g.KernelW; j++)
                {
                    int row = (c * g.KernelH + i) * g.KernelW + j;
                    for (int oy = 0; oy < g.OutH; oy++)
                        for (int ox = 0; ox < g.OutW; ox++)
                        {
                            int iy = oy * g.Stride - g.Padding + i, ix = ox * g.Stride - g.Padding + j;
                            if (iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width)
                                image[(c * g.Height + iy) * g.Width + ix] += cols[row * colCols + oy * g.OutW + ox];
                        }
                }
    }
}
