using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    // Stride 2 through phase planes: each channel is split once into its four (row parity, column parity) planes of
    // OutH × OutW, P[a,b][v,u] = image[2v + a, 2u + b]. The im2col row of tap (i, j) then reads one phase plane shifted
    // by whole rows and columns — one contiguous copy and the wrapped border columns zeroed, as for stride 1 — instead
    // of a strided gather per output row per tap (kh·kw·OutH gathers per channel become 4 phases' gathers and kh·kw
    // copies). It needs every phase to fit in OutH × OutW (true for kernel 3, padding 1: the conv VAE's layers).
    private const int MaxPhaseFloats = 8192;

    private static bool PhasePlanesFit(in ConvGeometry g)
        => g.Stride == 2 && (g.Height + 1) / 2 <= g.OutH && (g.Width + 1) / 2 <= g.OutW && 4 * g.OutH * g.OutW <= MaxPhaseFloats;

    private static void ForwardFromPhasePlanes(ReadOnlySpan<float> image, in ConvGeometry g, Span<float> cols, int ldCols)
    {
        int h = g.Height, w = g.Width, p = g.Padding, outH = g.OutH, outW = g.OutW, colCols = outH * outW;
        Span<float> phases = stackalloc float[4 * colCols];
        ref float image0 = ref MemoryMarshal.GetReference(image);
        ref float phases0 = ref MemoryMarshal.GetReference(phases);
        ref float dst0 = ref MemoryMarshal.GetReference(cols);
        int row = 0;
        Span<int> yRanges = stackalloc int[2 * g.KernelH], xRanges = stackalloc int[2 * g.KernelW];
        g.ValidRanges(yRanges, xRanges);
        for (int c = 0; c < g.Channels; c++)
        {
            ref float src = ref Unsafe.Add(ref image0, c * h * w);
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 2; b++)
                {
                    int rows = (h - a + 1) / 2, n = (w - b + 1) / 2;
                    if (rows > 0 && n > 0)
                        StrideTwo.GatherRows(ref Unsafe.Add(ref src, a * w + b), 2 * w, ref Unsafe.Add(ref phases0, (2 * a + b) * colCols), outW, n, rows);
                }
            for (int i = 0; i < g.KernelH; i++)
            {
                int yLo = yRanges[2 * i], yHi = yRanges[2 * i + 1];
                int a = (i - p) & 1, e = (i - p - a) >> 1;             // input row 2·oy − p + i = 2·(oy + e) + a
                for (int j = 0; j < g.KernelW; j++, row++)
                {
                    var dstRow = cols.Slice(row * ldCols, colCols);
                    int xLo = xRanges[2 * j], xHi = xRanges[2 * j + 1];
                    if (yHi <= yLo || xHi <= xLo)
                    {
                        dstRow.Clear();
                        continue;
                    }
                    if (yLo > 0) dstRow[..(yLo * outW)].Clear();
                    if (yHi < outH) dstRow[(yHi * outW)..].Clear();
                    int b = (j - p) & 1, d = (j - p - b) >> 1;         // input column 2·ox − p + j = 2·(ox + d) + b
                    int first = yLo * outW + xLo, last = (yHi - 1) * outW + xHi, offset = e * outW + d;
                    ref float dst = ref Unsafe.Add(ref dst0, row * ldCols);
                    MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref phases0, (2 * a + b) * colCols + first + offset), last - first)
                        .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dst, first), last - first));
                    for (int oy = yLo; oy < yHi; oy++)
                    {
                        ref float line = ref Unsafe.Add(ref dst, oy * outW);
                        for (int x = 0; x < xLo; x++) Unsafe.Add(ref line, x) = 0f;
                        for (int x = xHi; x < outW; x++) Unsafe.Add(ref line, x) = 0f;
                    }
                }
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
