using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels.Convolution;

/// <summary>im2col for one NCHW image: unfolds every kernel-sized patch into a column so that a convolution becomes a
/// GEMM, W (O, C·kh·kw) · cols (C·kh·kw, OutH·OutW). See <see cref="ConvGeometry"/> for the layout.</summary>
public static class Im2Col
{
    /// <summary>Writes the im2col matrix of <paramref name="image"/> (C,H,W) into <paramref name="cols"/>
    /// (C·kh·kw, OutH·OutW); every element is written.</summary>
    public static void Forward(ReadOnlySpan<float> image, in ConvGeometry g, Span<float> cols)
        => Forward(image, g, cols, g.OutH * g.OutW);

    /// <summary>Like <see cref="Forward(ReadOnlySpan{float}, in ConvGeometry, Span{float})"/> with the rows of the
    /// column matrix <paramref name="ldCols"/> elements apart (≥ OutH·OutW), so the columns of a batch of images can
    /// sit side by side in one (C·kh·kw, N·OutH·OutW) matrix.</summary>
    public static void Forward(ReadOnlySpan<float> image, in ConvGeometry g, Span<float> cols, int ldCols)
    {
        Check(image, g, cols, ldCols);
        if (PhasePlanesFit(g))
        {
            ForwardFromPhasePlanes(image, g, cols, ldCols);
            return;
        }
        int h = g.Height, w = g.Width, s = g.Stride, p = g.Padding, outH = g.OutH, outW = g.OutW;
        int plane = h * w, colCols = outH * outW;
        // Stride 1 with the output as wide as the input ("same" padding): the valid part of a row of cols is the input
        // plane shifted by (i−p)·w + (j−p) — one contiguous copy, then the few border columns that wrapped around
        // from the neighbouring image row are zeroed.
        bool shifted = s == 1 && outW == w;
        ref float src0 = ref MemoryMarshal.GetReference(image);
        ref float dst0 = ref MemoryMarshal.GetReference(cols);
        int row = 0;
        Span<int> yRanges = stackalloc int[2 * g.KernelH], xRanges = stackalloc int[2 * g.KernelW];
        g.ValidRanges(yRanges, xRanges);
        for (int c = 0; c < g.Channels; c++)
        {
            ref float src = ref Unsafe.Add(ref src0, c * plane);
            for (int i = 0; i < g.KernelH; i++)
            {
                int yLo = yRanges[2 * i], yHi = yRanges[2 * i + 1];
                for (int j = 0; j < g.KernelW; j++, row++)
                {
                    var dstRow = cols.Slice(row * ldCols, colCols);
                    int xLo = xRanges[2 * j], xHi = xRanges[2 * j + 1];
                    if (yLo > 0) dstRow[..(yLo * outW)].Clear();
                    if (yHi < outH) dstRow[(yHi * outW)..].Clear();
                    int n = xHi - xLo;
                    if (yHi <= yLo) continue;
                    if (n == 0)
                    {
                        dstRow[(yLo * outW)..(yHi * outW)].Clear();
                        continue;
                    }
                    ref float dst = ref Unsafe.Add(ref dst0, row * ldCols);
                    if (shifted)
                    {
                        int first = yLo * outW + xLo, last = (yHi - 1) * outW + xHi;    // [first, last) in cols
                        int offset = (i - p) * w + (j - p);                            // cols index → image index
                        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref src, first + offset), last - first)
                            .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dst, first), last - first));
                        for (int oy = yLo; oy < yHi; oy++)
                        {
                            ref float line = ref Unsafe.Add(ref dst, oy * outW);
                            for (int x = 0; x < xLo; x++) Unsafe.Add(ref line, x) = 0f;
                            for (int x = xHi; x < outW; x++) Unsafe.Add(ref line, x) = 0f;
                        }
                        continue;
                    }
                    for (int oy = yLo; oy < yHi; oy++)
                    {
                        ref float line = ref Unsafe.Add(ref dst, oy * outW);
                        for (int x = 0; x < xLo; x++) Unsafe.Add(ref line, x) = 0f;
                        for (int x = xHi; x < outW; x++) Unsafe.Add(ref line, x) = 0f;
                    }
                    // Output row oy reads input row oy·s − p + i from column xLo·s − p + j.
                    ref float origin = ref Unsafe.Add(ref src, (yLo * s - p + i) * w + xLo * s - p + j);
                    if (s == 2)
                    {
                        StrideTwo.GatherRows(ref origin, 2 * w, ref Unsafe.Add(ref dst, yLo * outW + xLo), outW, n, yHi - yLo);
                        continue;
                    }
                    for (int oy = yLo; oy < yHi; oy++)
                    {
                        ref float srcPixel = ref Unsafe.Add(ref origin, (oy - yLo) * s * w);
                        ref float target = ref Unsafe.Add(ref dst, oy * outW + xLo);
                        if (s == 1)
                            MemoryMarshal.CreateReadOnlySpan(ref srcPixel, n).CopyTo(MemoryMarshal.CreateSpan(ref target, n));
                        else
                            for (int k = 0; k < n; k++) Unsafe.Add(ref target, k) = Unsafe.Add(ref srcPixel, k * s);
                    }
                }
            }
        }
    }

    // Stride 2 through phase planes: each channel is split once into its four (row parity a, column parity b) planes,
    // P[a,b][v,u] = image[2v + a, 2u + b], each inside a zero border as wide as the taps' shifts. Tap (i, j) reads input
    // row 2·oy − p + i = 2·(oy + e) + a and column 2·ox − p + j = 2·(ox + d) + b, e = ⌊(i − p)/2⌋, d = ⌊(j − p)/2⌋, so
    // its im2col row is plane (a, b) shifted by e rows and d columns: OutH register copies of OutW floats, with no
    // bounds to work out and nothing to zero, as the borders are cleared once per call (they are the same for every
    // channel). Per channel, kh·kw·OutH strided gathers become the four phases' gathers and kh·kw·OutH short copies.
    private const int MaxPhaseFloats = 8192;

    // The padded phase planes: rows e ∈ [eMin, eMax] of shift around OutH, columns likewise around OutW.
    private static void PhaseLayout(in ConvGeometry g, out int eMin, out int dMin, out int rows, out int cols)
    {
        eMin = -g.Padding >> 1;
        dMin = -g.Padding >> 1;
        rows = g.OutH + ((g.KernelH - 1 - g.Padding) >> 1) - eMin;
        cols = g.OutW + ((g.KernelW - 1 - g.Padding) >> 1) - dMin;
    }

    private static bool PhasePlanesFit(in ConvGeometry g)
    {
        if (g.Stride != 2) return false;
        PhaseLayout(g, out _, out _, out int rows, out int cols);
        return 4L * rows * cols <= MaxPhaseFloats;
    }

    [SkipLocalsInit]
    private static void ForwardFromPhasePlanes(ReadOnlySpan<float> image, in ConvGeometry g, Span<float> cols, int ldCols)
    {
        int h = g.Height, w = g.Width, p = g.Padding, outH = g.OutH, outW = g.OutW;
        PhaseLayout(g, out int eMin, out int dMin, out int rows, out int pitch);
        int planeFloats = rows * pitch;
        Span<float> phases = stackalloc float[4 * planeFloats];
        phases.Clear();
        ref float image0 = ref MemoryMarshal.GetReference(image);
        ref float phases0 = ref MemoryMarshal.GetReference(phases);
        ref float dst0 = ref MemoryMarshal.GetReference(cols);
        // Every image row lands whole in its phases' planes (nothing cut off by a plane's edge): split the rows in one
        // sequential pass (the common case: padding 1, 3×3). Otherwise each phase gathers the part of its rows it keeps.
        bool whole = (h + 1) / 2 <= eMin + rows && (w + 1) / 2 <= dMin + pitch;
        int origin = -eMin * pitch - dMin;   // where image row 0, column 0 lands in each phase plane
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            ref float src = ref Unsafe.Add(ref image0, c * h * w);
            // the next channel's plane, fetched while this one is split and copied (Zen 5: the conv VAE step 5 % faster)
            if (c + 1 < g.Channels) CacheLines.Prefetch(ref Unsafe.Add(ref src, h * w), h * w);
            if (whole)
                StrideTwo.SplitPhases(ref src, w, w, h, ref Unsafe.Add(ref phases0, origin), ref Unsafe.Add(ref phases0, planeFloats + origin),
                    ref Unsafe.Add(ref phases0, 2 * planeFloats + origin), ref Unsafe.Add(ref phases0, 3 * planeFloats + origin), pitch);
            else GatherPhases(ref src, h, w, eMin, dMin, rows, pitch, ref phases0);
            for (int i = 0; i < g.KernelH; i++)
            {
                int a = (i - p) & 1, e = (i - p) >> 1;
                for (int j = 0; j < g.KernelW; j++, row++)
                {
                    int b = (j - p) & 1, d = (j - p) >> 1;
                    ref float from = ref Unsafe.Add(ref phases0, (2 * a + b) * planeFloats + (e - eMin) * pitch + (d - dMin));
                    ref float to = ref Unsafe.Add(ref dst0, row * ldCols);
                    for (int oy = 0; oy < outH; oy++)
                        ShortRows.Copy(ref Unsafe.Add(ref from, oy * pitch), ref Unsafe.Add(ref to, oy * outW), outW);
                }
            }
        }
    }

    // Each phase (a, b) gathers the part of its rows that lies in its padded plane: 0 ≤ 2v + a < H, 0 ≤ 2u + b < W.
    private static void GatherPhases(ref float src, int h, int w, int eMin, int dMin, int rows, int pitch, ref float phases0)
    {
        int planeFloats = rows * pitch;
        for (int a = 0; a < 2; a++)
        {
            int v0 = Math.Max(0, eMin), v1 = Math.Min((h - a + 1) / 2, eMin + rows);
            for (int b = 0; b < 2; b++)
            {
                int u0 = Math.Max(0, dMin), u1 = Math.Min((w - b + 1) / 2, dMin + pitch);
                if (v1 > v0 && u1 > u0)
                    StrideTwo.GatherRows(ref Unsafe.Add(ref src, (2 * v0 + a) * w + 2 * u0 + b), 2 * w,
                        ref Unsafe.Add(ref phases0, (2 * a + b) * planeFloats + (v0 - eMin) * pitch + (u0 - dMin)), pitch,
                        u1 - u0, v1 - v0);
            }
        }
    }

    /// <summary>The direct-loop reference of <see cref="Forward(ReadOnlySpan{float}, in ConvGeometry, Span{float})"/> (test oracle).</summary>
    public static void Naive(ReadOnlySpan<float> image, in ConvGeometry g, Span<float> cols)
    {
        Check(image, g, cols);
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
                            bool inside = iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width;
                            cols[row * colCols + oy * g.OutW + ox] = inside ? image[(c * g.Height + iy) * g.Width + ix] : 0f;
                        }
                }
    }

    internal static void Check(ReadOnlySpan<float> image, in ConvGeometry g, ReadOnlySpan<float> cols, int ldCols = -1)
    {
        int colCols = g.OutH * g.OutW;
        if (ldCols < 0) ldCols = colCols;
        if (ldCols < colCols)
            throw new ArgumentException($"im2col: row stride {ldCols} is smaller than the {colCols} output positions");
        if (image.Length < g.ImageSize)
            throw new ArgumentException($"im2col: image of {image.Length} elements is smaller than ({g.Channels},{g.Height},{g.Width})");
        if (g.ColRows > 0 && cols.Length < (long)(g.ColRows - 1) * ldCols + colCols)
            throw new ArgumentException($"im2col: cols of {cols.Length} elements is smaller than ({g.ColRows},{g.ColCols})");
    }
}
