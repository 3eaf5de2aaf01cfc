using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Elbo.Engine.Gemm;

namespace Elbo.Engine.Kernels.Convolution;

/// <summary>
/// The adjoint product image = col2im(Wᵀ · column) of a stride-2 3×3 convolution with padding 1 over an even image
/// (H = 2·OutH, W = 2·OutW: conv_transpose2d's forward with output padding 1, conv2d's input gradient), one phase of
/// the image at a time instead of one GEMM and a scatter. Image position (2v + a, 2u + b) — phase (a, b) — receives
/// only the taps (i, j) with i ≡ a + 1 and j ≡ b + 1 (mod 2), each reading the column side at (v + dy, u + dx) with
/// dy = 1 for i = 0 and 0 otherwise (dx likewise from j): 1, 2, 2 and 4 of the 9 taps. So phase (a, b) is a
/// plain GEMM, P_ab (C, L) = A_ab (C, taps·O) · S_ab (taps·O, L), whose right side is the column side shifted by
/// (dy, dx) for each of its taps. The four shifted copies are kept once, as blocks (0,1), (0,0), (1,0), (1,1) of O
/// rows each: in that order every phase's blocks are consecutive (phase (0,0) reads block 1, (0,1) blocks 0–1, (1,0)
/// blocks 1–2, (1,1) all four). The image is then written once, interleaving the four phase planes.
/// Against the single GEMM (K·O·L, K = 9·C) and col2im it replaces, the FLOPs are the same, but the GEMMs write
/// 4·C·L floats instead of 9·C·L (OpenBLAS clears its output first, a second pass), and the nine strided
/// read-add-writes of every image value become one contiguous interleaving store.
/// </summary>
internal static class PhaseAdjoint
{
    /// <summary>True when the geometry is the one this path computes: stride 2, 3×3, padding 1, H = 2·OutH, W = 2·OutW.</summary>
    public static bool Applies(in ConvGeometry g)
        => g.Stride == 2 && g.KernelH == 3 && g.KernelW == 3 && g.Padding == 1 && g.Height == 2 * g.OutH && g.Width == 2 * g.OutW;

    // The taps (i, j) of each phase q = 2a + b in the order of its shift blocks, and its first block.
    private static readonly int[][] Taps =
    [
        [1, 1],                     // (0,0): block 1
        [1, 0, 1, 2],               // (0,1): blocks 0, 1
        [2, 1, 0, 1],               // (1,0): blocks 1, 2
        [2, 0, 2, 2, 0, 2, 0, 0],   // (1,1): blocks 0 … 3
    ];

    private static readonly int[] FirstBlock = [1, 0, 1, 0];

    /// <summary>Floats of the packed weights: the four phases' A matrices, 9·C·O in all.</summary>
    public static int WeightsSize(int channels, int columnChannels) => 9 * channels * columnChannels;

    /// <summary>Floats of the scratch for <paramref name="width"/> column positions: the four shifted copies of the
    /// column side (4·O rows) and the four phase planes (4·C rows).</summary>
    public static long ScratchSize(int channels, int columnChannels, int width) => 4L * (channels + columnChannels) * width;

    /// <summary>Packs W (O, C·9) into the phases' matrices A_ab (C, taps·O), phase by phase:
    /// A_ab[c, r·O + o] = W[o, c, i_r, j_r] for the phase's r-th tap.</summary>
    public static void PackWeights(ReadOnlySpan<float> w, int channels, int columnChannels, Span<float> packed)
    {
        int o = columnChannels, k = 9 * channels, at = 0;
        for (int q = 0; q < 4; q++)
        {
            var taps = Taps[q];
            int t = taps.Length / 2;
            for (int c = 0; c < channels; c++)
                for (int r = 0; r < t; r++)
                {
                    int tap = c * 9 + taps[2 * r] * 3 + taps[2 * r + 1];
                    for (int m = 0; m < o; m++) packed[at++] = w[m * k + tap];
                }
        }
    }

    /// <summary>
    /// image_g (=, +=) col2im(Wᵀ · column_g) (+ bias) for the <paramref name="count"/> images whose column sides sit
    /// side by side in <paramref name="columns"/> (O, count·L), image g at <paramref name="images"/>[g·C·H·W]. The
    /// weights come packed (<see cref="PackWeights"/>); <paramref name="scratch"/> holds <see cref="ScratchSize"/>.
    /// </summary>
    public static void Run(ReadOnlySpan<float> columns, int count, ReadOnlySpan<float> packed, in ConvGeometry g, int columnChannels,
        Span<float> scratch, Span<float> images, bool overwrite, ReadOnlySpan<float> bias)
    {
        int o = columnChannels, c = g.Channels, l = g.ColCols, width = count * l;
        var shifts = scratch[..(4 * o * width)];
        var planes = scratch.Slice(4 * o * width, 4 * c * width);
        Shift(columns, g, o, width, shifts);
        int at = 0;
        for (int q = 0; q < 4; q++)
        {
            int depth = Taps[q].Length / 2 * o;
            Blas.Sgemm(false, false, c, width, depth, 1f, packed.Slice(at, c * depth), depth,
                shifts[(FirstBlock[q] * o * width)..], width, 0f, planes.Slice(q * c * width, c * width), width);
            at += c * depth;
        }
        for (int n = 0; n < count; n++)
            Interleave(planes, g, width, n * l, images.Slice(n * g.ImageSize, g.ImageSize), overwrite, bias);
    }

    // The four shifted copies of the column side (O, width), blocks (0,1), (0,0), (1,0), (1,1): block (dy, dx) holds
    // column[o, v + dy, u + dx] at (v, u) of each image, zero where that falls past the last row or column. A block
    // row is the image's plane moved by dy·OutW + dx (at most all of it) — one contiguous copy — with the wrapped last
    // column and the last row then cleared.
    private static void Shift(ReadOnlySpan<float> columns, in ConvGeometry g, int o, int width, Span<float> shifts)
    {
        int outH = g.OutH, outW = g.OutW, l = outH * outW;
        for (int block = 0; block < 4; block++)
        {
            int dy = block >= 2 ? 1 : 0, dx = block == 0 || block == 3 ? 1 : 0, offset = Math.Min(dy * outW + dx, l);
            for (int m = 0; m < o; m++)
                for (int start = 0; start < width; start += l)
                {
                    var from = columns.Slice(m * width + start, l);
                    var to = shifts.Slice((block * o + m) * width + start, l);
                    from[offset..].CopyTo(to);
                    to[(l - offset)..].Clear();
                    if (dx == 1)
                        for (int v = 0; v < outH - dy; v++) to[v * outW + outW - 1] = 0f;
                }
        }
    }

    // image[ch, 2v + a, 2u + b] (=, +=) P_ab[ch, start + v·OutW + u] (+ bias[ch]): rows 2v and 2v + 1 of a channel
    // interleave planes (0,0) with (0,1) and (1,0) with (1,1).
    private static void Interleave(ReadOnlySpan<float> planes, in ConvGeometry g, int width, int start, Span<float> image,
        bool overwrite, ReadOnlySpan<float> bias)
    {
        int c = g.Channels, outH = g.OutH, outW = g.OutW, w = g.Width, plane = c * width;
        ref float p0 = ref MemoryMarshal.GetReference(planes);
        ref float image0 = ref MemoryMarshal.GetReference(image);
        for (int ch = 0; ch < c; ch++)
        {
            float b = bias.IsEmpty ? 0f : bias[ch];
            bool add = !overwrite && bias.IsEmpty;
            for (int v = 0; v < outH; v++)
            {
                int from = ch * width + start + v * outW;
                ref float top = ref Unsafe.Add(ref image0, (ch * 2 * outH + 2 * v) * w);
                InterleaveRow(ref Unsafe.Add(ref p0, from), ref Unsafe.Add(ref p0, plane + from), ref top, outW, add, b);
                InterleaveRow(ref Unsafe.Add(ref p0, 2 * plane + from), ref Unsafe.Add(ref p0, 3 * plane + from),
                    ref Unsafe.Add(ref top, w), outW, add, b);
            }
        }
    }

    // target[2u] (=, +=) even[u] + b, target[2u + 1] (=, +=) odd[u] + b for u < n. Four at a time with SSE: unpacking
    // the two rows' low and high halves gives them in target order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InterleaveRow(ref float even, ref float odd, ref float target, int n, bool add, float b)
    {
        int u = 0;
        if (Sse.IsSupported)
        {
            var bias = Vector128.Create(b);
            for (; u + 4 <= n; u += 4)
            {
                var e = Vector128.LoadUnsafe(ref even, (nuint)u);
                var d = Vector128.LoadUnsafe(ref odd, (nuint)u);
                var lo = Sse.UnpackLow(e, d);
                var hi = Sse.UnpackHigh(e, d);
                if (add)
                {
                    lo += Vector128.LoadUnsafe(ref target, (nuint)(2 * u));
                    hi += Vector128.LoadUnsafe(ref target, (nuint)(2 * u + 4));
                }
                else
                {
                    lo += bias;
                    hi += bias;
                }
                lo.StoreUnsafe(ref target, (nuint)(2 * u));
                hi.StoreUnsafe(ref target, (nuint)(2 * u + 4));
            }
        }
        for (; u < n; u++)
        {
            ref float t0 = ref Unsafe.Add(ref target, 2 * u);
            ref float t1 = ref Unsafe.Add(ref target, 2 * u + 1);
            if (add)
            {
                t0 += Unsafe.Add(ref even, u);
                t1 += Unsafe.Add(ref odd, u);
            }
            else
            {
                t0 = Unsafe.Add(ref even, u) + b;
                t1 = Unsafe.Add(ref odd, u) + b;
            }
        }
    }
}
