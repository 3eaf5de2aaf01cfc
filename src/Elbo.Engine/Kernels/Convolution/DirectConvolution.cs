using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels.Convolution;

/// <summary>
/// Stride-1 convolutions of one image computed directly, without an im2col matrix, for the case where im2col + GEMM
/// does not pay: few channels on the column side (the conv VAE's last layer, 32 → 1 at 28×28, is a GEMM with one
/// row: the 288×784 im2col matrix is written and read again for 784·288 multiply-adds, twice per step, and its adjoint
/// is a rank-1 product followed by col2im).
/// <para>Each kernel works on planes laid out row by row with a row stride wider than the data (zero-padded on the
/// right), so every kernel tap is one constant offset in a flat index: out[q] = Σ_t coef_t · in[q + offset_t] over
/// q = y·rowStride + x, computed for every q of the padded rows (the columns x ≥ the output width are junk, computed
/// and dropped) with the sum over taps and input planes held in registers.</para>
/// <code>
/// forward  (image → column):  P_c = image_c padded by p            column_o = Σ_c Σ_ij w[o,c,i,j] · P_c[q + i·Wp + j]
/// adjoint  (column → image):  Q_o = column_o padded by kh−1, kw−1  image_c  = Σ_o Σ_ij w[o,c,kh−1−i,kw−1−j] · Q_o[q + (p+i)·Wq + p+j]
/// weight grad:                D_o = column_o on rows of Wp          dW[o,c,i,j] = Σ_q D_o[q] · P_c[q + i·Wp + j]
/// </code>
/// Wp = W + 2p, Wq = OutW + 2(kw − 1). The sums are in float, in a different order than the GEMM's; the results agree
/// to float rounding.
/// </summary>
public static class DirectConvolution
{
    /// <summary>At most this many channels on the column side take the direct path (above it the GEMM has enough rows
    /// to run near its peak, and im2col pays).</summary>
    public const int MaxColumnChannels = 4;

    /// <summary>At most this many kernel taps (kh·kw): the offsets live on the stack.</summary>
    public const int MaxTaps = 64;

    /// <summary>Whether a convolution of geometry <paramref name="g"/> with <paramref name="columnChannels"/> output
    /// channels (conv2d's O) runs directly.</summary>
    public static bool Applies(in ConvGeometry g, int columnChannels)
        => g.Stride == 1 && columnChannels <= MaxColumnChannels && g.KernelH * g.KernelW <= MaxTaps && g.OutH > 0 && g.OutW > 0;

    /// <summary>Wp: the row stride of the padded image.</summary>
    public static int ImageRowStride(in ConvGeometry g) => g.Width + 2 * g.Padding;

    /// <summary>One padded image plane: (H + 2p) rows of Wp and kw − 1 trailing zeros that the junk columns of the
    /// last row read.</summary>
    public static int ImagePlaneStride(in ConvGeometry g) => (g.Height + 2 * g.Padding) * ImageRowStride(g) + g.KernelW - 1;

    /// <summary>Wq: the row stride of the padded column side.</summary>
    public static int ColumnRowStride(in ConvGeometry g) => g.OutW + 2 * (g.KernelW - 1);

    /// <summary>One padded column plane for the adjoint: OutH + 2(kh − 1) rows of Wq and p + kw trailing zeros.</summary>
    public static int ColumnPlaneStride(in ConvGeometry g) => (g.OutH + 2 * (g.KernelH - 1)) * ColumnRowStride(g) + g.Padding + g.KernelW;

    /// <summary>Floats of scratch one image needs: the padded image, the padded (or spread) column side and one output
    /// plane in padded rows (<see cref="Partition"/> cuts them out).</summary>
    public static int ScratchSize(in ConvGeometry g, int columnChannels)
        => g.Channels * ImagePlaneStride(g) + ColumnScratch(g, columnChannels) + PlaneScratch(g);

    /// <summary>Cuts <paramref name="scratch"/> (at least <see cref="ScratchSize"/> floats) into the padded image, the
    /// column side (padded for the adjoint, spread for the weight gradient) and one output plane.</summary>
    public static void Partition(Span<float> scratch, in ConvGeometry g, int columnChannels,
        out Span<float> image, out Span<float> columns, out Span<float> plane)
    {
        int imageFloats = g.Channels * ImagePlaneStride(g), columnFloats = ColumnScratch(g, columnChannels);
        image = scratch[..imageFloats];
        columns = scratch.Slice(imageFloats, columnFloats);
        plane = scratch.Slice(imageFloats + columnFloats, PlaneScratch(g));
    }

    private static int ColumnScratch(in ConvGeometry g, int columnChannels)
        => columnChannels * Math.Max(g.OutH * ImageRowStride(g), ColumnPlaneStride(g));

    // two output planes: the adjoint sums them in pairs (AddTapsPair)
    private static int PlaneScratch(in ConvGeometry g) => 2 * Math.Max(g.OutH * ImageRowStride(g), g.Height * ColumnRowStride(g));

    /// <summary>P (C planes of <see cref="ImagePlaneStride"/>) = <paramref name="image"/> (C,H,W) zero-padded by p on
    /// every side; every element of P is written.</summary>
    public static void PadImage(ReadOnlySpan<float> image, in ConvGeometry g, Span<float> padded)
    {
        int h = g.Height, w = g.Width, p = g.Padding, wp = ImageRowStride(g), ps = ImagePlaneStride(g);
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = padded.Slice(c * ps, ps);
            if (c + 1 < g.Channels) CacheLines.Prefetch(ref MemoryMarshal.GetReference(image.Slice((c + 1) * h * w)), h * w);
            plane[..(p * wp + p)].Clear();
            for (int y = 0; y < h; y++)
            {
                int row = (y + p) * wp + p;
                ShortRows.Copy(image.Slice((c * h + y) * w, w), plane.Slice(row, w));
                ShortRows.Clear(plane.Slice(row + w, 2 * p));  // this row's right padding and the next row's left padding
            }
            plane[((h + p) * wp + p)..].Clear();
        }
    }

    /// <summary>D (O planes of OutH·Wp) = <paramref name="column"/> (O, OutH, OutW) on rows of Wp, zeros in the junk
    /// columns, for the weight gradient.</summary>
    public static void SpreadColumns(ReadOnlySpan<float> column, in ConvGeometry g, int columnChannels, Span<float> spread)
    {
        int outH = g.OutH, outW = g.OutW, wp = ImageRowStride(g), ps = outH * wp;
        for (int o = 0; o < columnChannels; o++)
            for (int y = 0; y < outH; y++)
            {
                var row = spread.Slice(o * ps + y * wp, wp);
                ShortRows.Copy(column.Slice((o * outH + y) * outW, outW), row);
                ShortRows.Clear(row[outW..]);
            }
    }

    /// <summary>Q (O planes of <see cref="ColumnPlaneStride"/>) = <paramref name="column"/> (O, OutH, OutW)
    /// zero-padded by kh − 1 rows and kw − 1 columns on every side, for the adjoint.</summary>
    public static void PadColumns(ReadOnlySpan<float> column, in ConvGeometry g, int columnChannels, Span<float> padded)
    {
        int outH = g.OutH, outW = g.OutW, ph = g.KernelH - 1, pw = g.KernelW - 1, wq = ColumnRowStride(g), ps = ColumnPlaneStride(g);
        for (int o = 0; o < columnChannels; o++)
        {
            var plane = padded.Slice(o * ps, ps);
            plane[..(ph * wq + pw)].Clear();
            for (int y = 0; y < outH; y++)
            {
                int row = (y + ph) * wq + pw;
                ShortRows.Copy(column.Slice((o * outH + y) * outW, outW), plane.Slice(row, outW));
                ShortRows.Clear(plane.Slice(row + outW, 2 * pw));
            }
            plane[((outH + ph) * wq + pw)..].Clear();
        }
    }

    /// <summary>column (O, OutH, OutW) (=, +=) bias + Σ_c Σ_ij w[o,c,i,j] · P_c[q + i·Wp + j], from the padded image
    /// <paramref name="padded"/> (<see cref="PadImage"/>). With a bias the column is assigned.</summary>
    public static void Forward(ReadOnlySpan<float> padded, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g,
        int columnChannels, Span<float> column, bool overwrite, Span<float> plane)
    {
        int wp = ImageRowStride(g), kh = g.KernelH, kw = g.KernelW;
        Span<int> offsets = stackalloc int[kh * kw];
        for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++) offsets[i * kw + j] = i * wp + j;
        Correlate(padded, g.Channels, ImagePlaneStride(g), wp, offsets, weight, columnChannels, transposed: false,
            bias, g.OutH, g.OutW, column, overwrite, plane);
    }

    /// <summary>image (C, H, W) (=, +=) bias + Σ_o Σ_ij w[o,c,kh−1−i,kw−1−j] · Q_o[q + (p+i)·Wq + p+j], from the padded
    /// column side <paramref name="padded"/> (<see cref="PadColumns"/>): conv2d's input gradient, conv_transpose2d's
    /// forward. With a bias the image is assigned.</summary>
    public static void Adjoint(ReadOnlySpan<float> padded, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g,
        int columnChannels, Span<float> image, bool overwrite, Span<float> plane)
    {
        int wq = ColumnRowStride(g), kh = g.KernelH, kw = g.KernelW, p = g.Padding;
        Span<int> offsets = stackalloc int[kh * kw];
        for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++) offsets[i * kw + j] = (p + i) * wq + p + j;
        Correlate(padded, columnChannels, ColumnPlaneStride(g), wq, offsets, weight, g.Channels, transposed: true,
            bias, g.Height, g.Width, image, overwrite, plane);
    }

    /// <summary>dW (O, C, kh, kw) (=, +=) Σ_q D_o[q] · P_c[q + i·Wp + j] from the spread column side
    /// <paramref name="spread"/> (<see cref="SpreadColumns"/>) and the padded image <paramref name="padded"/>.
    /// <paramref name="width"/> is the widest register used (tests pass the narrower ones).</summary>
    public static void WeightGrad(ReadOnlySpan<float> spread, ReadOnlySpan<float> padded, in ConvGeometry g, int columnChannels,
        Span<float> dw, bool overwrite, KernelWidth width)
    {
        int wp = ImageRowStride(g), kh = g.KernelH, kw = g.KernelW, taps = kh * kw, n = g.OutH * wp;
        int ps = ImagePlaneStride(g);
        Span<int> offsets = stackalloc int[taps];
        for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++) offsets[i * kw + j] = i * wp + j;
        for (int o = 0; o < columnChannels; o++)
        {
            var d = spread.Slice(o * n, n);
            for (int c = 0; c < g.Channels; c++)
            {
                var x = padded.Slice(c * ps, ps);
                var target = dw.Slice((o * g.Channels + c) * taps, taps);
                for (int t = 0; t < taps; t += DotsTaps)
                    Dots(d, x, offsets.Slice(t, Math.Min(DotsTaps, taps - t)), n, target.Slice(t), overwrite, width);
            }
        }
    }

    // out_a (rows, cols) (=, +=) bias_a + Σ_b Σ_t coef(a, b, t) · in_b[q + offsets[t]], q = y·rowStride + x, with
    // coef(a, b, t) = w[(a·B + b)·T + t], or w[(b·A + a)·T + T − 1 − t] (transposed: the adjoint's flipped kernel).
    // Each output plane is summed over all q < rows·rowStride in `plane` (L1-sized: one plane in padded rows), a group
    // of input planes at a time with the group's taps in one table (AddTaps: 64 values in four Vector512 at a time,
    // then 32 in four Vector256, then 8 in one, then one); then the first cols values of every row are stored. A group
    // is as many planes as fit in MaxTaps taps (7 of 3×3): the plane in `plane` is loaded and stored once per group, not
    // once per input plane, and each value's FMAs run in the same order either way (the same bits). When all input
    // planes fit in one group (the adjoint's one to four column planes of nine taps; a forward from a few image
    // channels), output planes go in pairs through AddTapsPair, each loaded input value feeding both.
    private static void Correlate(ReadOnlySpan<float> input, int planes, int planeStride, int rowStride, ReadOnlySpan<int> offsets,
        ReadOnlySpan<float> weight, int outPlanes, bool transposed, ReadOnlySpan<float> bias, int rows, int cols,
        Span<float> output, bool overwrite, Span<float> plane)
    {
        int taps = offsets.Length, n = rows * rowStride, group = Math.Max(1, MaxTaps / taps);
        Span<float> coef = stackalloc float[group * taps], coef1 = stackalloc float[group * taps];
        Span<int> groupOffsets = stackalloc int[group * taps];   // plane k of a group: its taps k·planeStride further
        for (int k = 0; k < group; k++)
            for (int t = 0; t < taps; t++) groupOffsets[k * taps + t] = k * planeStride + offsets[t];
        ref float pl = ref MemoryMarshal.GetReference(plane);
        ref float src = ref MemoryMarshal.GetReference(input);
        for (int a = 0; a < outPlanes; a++)
        {
            float seed = bias.IsEmpty ? 0f : bias[a];
            if (planes <= group && a + 1 < outPlanes)
            {
                int flat = planes * taps;
                for (int b = 0; b < planes; b++)
                    for (int t = 0; t < taps; t++)
                    {
                        coef[b * taps + t] = transposed ? weight[(b * outPlanes + a) * taps + taps - 1 - t] : weight[(a * planes + b) * taps + t];
                        coef1[b * taps + t] = transposed ? weight[(b * outPlanes + a + 1) * taps + taps - 1 - t] : weight[((a + 1) * planes + b) * taps + t];
                    }
                AddTapsPair(ref src, groupOffsets[..flat], coef[..flat], coef1[..flat], ref pl, ref Unsafe.Add(ref pl, n), n,
                    seed, bias.IsEmpty ? 0f : bias[a + 1]);
                StorePlane(plane[..n], rowStride, rows, cols, output.Slice(a * rows * cols, rows * cols), overwrite || !bias.IsEmpty);
                a++;
                StorePlane(plane.Slice(n, n), rowStride, rows, cols, output.Slice(a * rows * cols, rows * cols), overwrite || !bias.IsEmpty);
                continue;
            }
            for (int b0 = 0; b0 < planes; b0 += group)
            {
                int count = Math.Min(group, planes - b0);
                for (int k = 0; k < count; k++)
                    for (int t = 0; t < taps; t++)
                    {
                        int b = b0 + k;
                        coef[k * taps + t] = transposed ? weight[(b * outPlanes + a) * taps + taps - 1 - t] : weight[(a * planes + b) * taps + t];
                    }
                AddTaps(ref Unsafe.Add(ref src, b0 * planeStride), groupOffsets[..(count * taps)],
                    coef[..(count * taps)], ref pl, n, first: b0 == 0, seed);
            }
            StorePlane(plane[..n], rowStride, rows, cols, output.Slice(a * rows * cols, rows * cols), overwrite || !bias.IsEmpty);
        }
    }

    // out (rows, cols) (=, +=) the first cols values of each row of sums (rows of rowStride).
    private static void StorePlane(ReadOnlySpan<float> sums, int rowStride, int rows, int cols, Span<float> output, bool assign)
    {
        for (int y = 0; y < rows; y++)
        {
            var from = sums.Slice(y * rowStride, cols);
            var to = output.Slice(y * cols, cols);
            if (assign) ShortRows.Copy(from, to);
            else System.Numerics.Tensors.TensorPrimitives.Add(to, from, to);
        }
    }

    // acc0[q] = seed0 + Σ_t coef0[t] · src[q + offsets[t]] and acc1[q] likewise with coef1, for q < n: two output planes
    // from one pass over the input, each loaded value feeding two FMAs (a plane of the adjoint is only nine taps, so
    // alone it spends as many loads as FMAs). Each value's FMAs run in AddTaps' order: the same bits.
    private static void AddTapsPair(ref float src, ReadOnlySpan<int> offsets, ReadOnlySpan<float> coef0, ReadOnlySpan<float> coef1,
        ref float acc0, ref float acc1, int n, float seed0, float seed1)
    {
        int taps = offsets.Length, q = 0;
        if (coef0.Length < taps || coef1.Length < taps) throw new ArgumentException("AddTapsPair: fewer coefficients than taps.");
        if (Vector512.IsHardwareAccelerated) q = PairBlocks<Vector512<float>>(ref src, offsets, coef0, coef1, ref acc0, ref acc1, q, n, seed0, seed1);
        if (Vector256.IsHardwareAccelerated)
        {
            q = PairBlocks<Vector256<float>>(ref src, offsets, coef0, coef1, ref acc0, ref acc1, q, n, seed0, seed1);
            for (; q <= n - 8; q += 8)
            {
                var a0 = Vector256.Create(seed0);
                var b0 = Vector256.Create(seed1);
                for (int t = 0; t < taps; t++)
                {
                    var x0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref src, q + offsets[t]));
                    a0 = Vector256.FusedMultiplyAdd(Vector256.Create(coef0[t]), x0, a0);
                    b0 = Vector256.FusedMultiplyAdd(Vector256.Create(coef1[t]), x0, b0);
                }
                a0.StoreUnsafe(ref Unsafe.Add(ref acc0, q));
                b0.StoreUnsafe(ref Unsafe.Add(ref acc1, q));
            }
        }
        for (; q < n; q++)
        {
            float v = seed0, w = seed1;
            for (int t = 0; t < taps; t++)
            {
                float x = Unsafe.Add(ref src, q + offsets[t]);
                v = MathF.FusedMultiplyAdd(coef0[t], x, v);
                w = MathF.FusedMultiplyAdd(coef1[t], x, w);
            }
            Unsafe.Add(ref acc0, q) = v;
            Unsafe.Add(ref acc1, q) = w;
        }
    }

    // AddTapsPair's main loop: four registers of each plane at a time from q while they fit below n; returns where it
    // stopped. Eight sums, two coefficients and the four loaded registers fit AVX2's sixteen.
    private static int PairBlocks<TV>(ref float src, ReadOnlySpan<int> offsets, ReadOnlySpan<float> coef0, ReadOnlySpan<float> coef1,
        ref float acc0, ref float acc1, int q, int n, float seed0, float seed1) where TV : struct
    {
        int taps = offsets.Length, lanes = Lanes.Count<TV>(), block = 4 * lanes;
        for (; q <= n - block; q += block)
        {
            TV a0, a1, a2, a3, b0, b1, b2, b3;
            a0 = a1 = a2 = a3 = Lanes.Broadcast<TV>(seed0);
            b0 = b1 = b2 = b3 = Lanes.Broadcast<TV>(seed1);
            for (int t = 0; t < taps; t++)
            {
                var c = Lanes.Broadcast<TV>(coef0[t]);
                var d = Lanes.Broadcast<TV>(coef1[t]);
                ref float x = ref Unsafe.Add(ref src, q + offsets[t]);
                var x0 = Lanes.Load<TV>(ref x);
                var x1 = Lanes.Load<TV>(ref Unsafe.Add(ref x, lanes));
                var x2 = Lanes.Load<TV>(ref Unsafe.Add(ref x, 2 * lanes));
                var x3 = Lanes.Load<TV>(ref Unsafe.Add(ref x, 3 * lanes));
                a0 = Lanes.FusedMultiplyAdd<TV>(c, x0, a0);
                b0 = Lanes.FusedMultiplyAdd<TV>(d, x0, b0);
                a1 = Lanes.FusedMultiplyAdd<TV>(c, x1, a1);
                b1 = Lanes.FusedMultiplyAdd<TV>(d, x1, b1);
                a2 = Lanes.FusedMultiplyAdd<TV>(c, x2, a2);
                b2 = Lanes.FusedMultiplyAdd<TV>(d, x2, b2);
                a3 = Lanes.FusedMultiplyAdd<TV>(c, x3, a3);
                b3 = Lanes.FusedMultiplyAdd<TV>(d, x3, b3);
            }
            ref float at = ref Unsafe.Add(ref acc0, q);
            Lanes.Store<TV>(a0, ref at);
            Lanes.Store<TV>(a1, ref Unsafe.Add(ref at, lanes));
            Lanes.Store<TV>(a2, ref Unsafe.Add(ref at, 2 * lanes));
            Lanes.Store<TV>(a3, ref Unsafe.Add(ref at, 3 * lanes));
            ref float bt = ref Unsafe.Add(ref acc1, q);
            Lanes.Store<TV>(b0, ref bt);
            Lanes.Store<TV>(b1, ref Unsafe.Add(ref bt, lanes));
            Lanes.Store<TV>(b2, ref Unsafe.Add(ref bt, 2 * lanes));
            Lanes.Store<TV>(b3, ref Unsafe.Add(ref bt, 3 * lanes));
        }
        return q;
    }

    // acc[q] (=, +=) Σ_t coef[t] · src[q + offsets[t]] for q < n; the first group of a plane starts from the seed (the
    // bias or zero) instead of acc, so the plane needs no fill.
    private static void AddTaps(ref float src, ReadOnlySpan<int> offsets, ReadOnlySpan<float> coef, ref float acc, int n, bool first, float seed)
    {
        int taps = offsets.Length, q = 0;
        if (coef.Length < taps) throw new ArgumentException("AddTaps: fewer coefficients than taps.");
        if (Vector512.IsHardwareAccelerated) q = TapBlocks<Vector512<float>>(ref src, offsets, coef, ref acc, q, n, first, seed);
        if (Vector256.IsHardwareAccelerated)
        {
            q = TapBlocks<Vector256<float>>(ref src, offsets, coef, ref acc, q, n, first, seed);
            for (; q <= n - 8; q += 8)
            {
                ref float at = ref Unsafe.Add(ref acc, q);
                var a0 = first ? Vector256.Create(seed) : Vector256.LoadUnsafe(ref at);
                for (int t = 0; t < taps; t++)
                    a0 = Vector256.FusedMultiplyAdd(Vector256.Create(coef[t]), Vector256.LoadUnsafe(ref Unsafe.Add(ref src, q + offsets[t])), a0);
                a0.StoreUnsafe(ref at);
            }
        }
        for (; q < n; q++)
        {
            float v = first ? seed : Unsafe.Add(ref acc, q);
            for (int t = 0; t < taps; t++) v = MathF.FusedMultiplyAdd(coef[t], Unsafe.Add(ref src, q + offsets[t]), v);
            Unsafe.Add(ref acc, q) = v;
        }
    }

    // AddTaps' main loop: four registers at a time from q while they fit below n; returns where it stopped. Four
    // independent chains, because one chain of `taps` FMAs per register waits on the FMA latency: on AVX2 machines,
    // where the Vector256 instance does all the work, the 32→1 block (bench conv, Zen 3, one thread) went from 15.6
    // to 11.6 ms fwd+bwd with four.
    private static int TapBlocks<TV>(ref float src, ReadOnlySpan<int> offsets, ReadOnlySpan<float> coef, ref float acc, int q, int n,
        bool first, float seed) where TV : struct
    {
        int taps = offsets.Length, lanes = Lanes.Count<TV>(), block = 4 * lanes;
        for (; q <= n - block; q += block)
        {
            ref float at = ref Unsafe.Add(ref acc, q);
            TV a0, a1, a2, a3;
            if (first) a0 = a1 = a2 = a3 = Lanes.Broadcast<TV>(seed);
            else
            {
                a0 = Lanes.Load<TV>(ref at);
                a1 = Lanes.Load<TV>(ref Unsafe.Add(ref at, lanes));
                a2 = Lanes.Load<TV>(ref Unsafe.Add(ref at, 2 * lanes));
                a3 = Lanes.Load<TV>(ref Unsafe.Add(ref at, 3 * lanes));
            }
            for (int t = 0; t < taps; t++)
            {
                var c = Lanes.Broadcast<TV>(coef[t]);
                ref float x = ref Unsafe.Add(ref src, q + offsets[t]);
                a0 = Lanes.FusedMultiplyAdd<TV>(c, Lanes.Load<TV>(ref x), a0);
                a1 = Lanes.FusedMultiplyAdd<TV>(c, Lanes.Load<TV>(ref Unsafe.Add(ref x, lanes)), a1);
                a2 = Lanes.FusedMultiplyAdd<TV>(c, Lanes.Load<TV>(ref Unsafe.Add(ref x, 2 * lanes)), a2);
                a3 = Lanes.FusedMultiplyAdd<TV>(c, Lanes.Load<TV>(ref Unsafe.Add(ref x, 3 * lanes)), a3);
            }
            Lanes.Store(a0, ref at);
            Lanes.Store(a1, ref Unsafe.Add(ref at, lanes));
            Lanes.Store(a2, ref Unsafe.Add(ref at, 2 * lanes));
            Lanes.Store(a3, ref Unsafe.Add(ref at, 3 * lanes));
        }
        return q;
    }

    // Taps per Dots call: nine accumulators (a 3×3 kernel's taps in one pass over d), a d register and a loaded one
    // fit AVX2's sixteen.
    private const int DotsTaps = 9;

    // target[k] (=, +=) Σ_{q<n} d[q] · x[q + offsets[k]] for the (at most DotsTaps) offsets given: one pass over d with
    // a register per offset, TV lanes at a time, then single values.
    private static void Dots(ReadOnlySpan<float> d, ReadOnlySpan<float> x, ReadOnlySpan<int> offsets, int n, Span<float> target,
        bool overwrite, KernelWidth width)
    {
        int m = offsets.Length;
        if (m > DotsTaps || n > d.Length || n + offsets[m - 1] > x.Length)
            throw new ArgumentException("DirectConvolution: a buffer is smaller than its geometry.");
        Span<float> sums = stackalloc float[DotsTaps];
        sums.Clear();
        int q = 0;
        if (width >= KernelWidth.Vector512) q = DotsVector<Vector512<float>>(d, x, offsets, q, n, sums);
        if (width >= KernelWidth.Vector256) q = DotsVector<Vector256<float>>(d, x, offsets, q, n, sums);
        for (; q < n; q++)
            for (int k = 0; k < m; k++) sums[k] += d[q] * x[q + offsets[k]];
        for (int k = 0; k < m; k++) target[k] = overwrite ? sums[k] : target[k] + sums[k];
    }

    // sums[k] += Σ d[q] · x[q + offsets[k]] over q from `from` while a whole register fits below n; returns where it
    // stopped. Offsets past the given ones repeat the first (their sums are dropped).
    private static int DotsVector<TV>(ReadOnlySpan<float> d, ReadOnlySpan<float> x, ReadOnlySpan<int> offsets, int from, int n,
        Span<float> sums) where TV : struct
    {
        int m = offsets.Length, lanes = Lanes.Count<TV>(), q = from;
        if (q > n - lanes) return q;
        ref float d0 = ref MemoryMarshal.GetReference(d);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float x0 = ref Unsafe.Add(ref xs, offsets[0]);
        ref float x1 = ref Unsafe.Add(ref xs, offsets[m > 1 ? 1 : 0]);
        ref float x2 = ref Unsafe.Add(ref xs, offsets[m > 2 ? 2 : 0]);
        ref float x3 = ref Unsafe.Add(ref xs, offsets[m > 3 ? 3 : 0]);
        ref float x4 = ref Unsafe.Add(ref xs, offsets[m > 4 ? 4 : 0]);
        ref float x5 = ref Unsafe.Add(ref xs, offsets[m > 5 ? 5 : 0]);
        ref float x6 = ref Unsafe.Add(ref xs, offsets[m > 6 ? 6 : 0]);
        ref float x7 = ref Unsafe.Add(ref xs, offsets[m > 7 ? 7 : 0]);
        ref float x8 = ref Unsafe.Add(ref xs, offsets[m > 8 ? 8 : 0]);
        TV a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default, a8 = default;
        for (; q <= n - lanes; q += lanes)
        {
            var dv = Lanes.Load<TV>(ref Unsafe.Add(ref d0, q));
            a0 = Lanes.FusedMultiplyAdd<TV>(dv, Lanes.Load<TV>(ref Unsafe.Add(ref x0, q)), a0);
            a1 = Lanes.FusedMultiplyAdd<TV>(dv, Lanes.Load<TV>(ref Unsafe.Add(ref x1, q)), a1);
            a2 = Lanes.FusedMultiplyAdd<TV>(dv, Lanes.Load<TV>(ref Unsafe.Add(ref x2, q)), a2);
            a3 = Lanes.FusedMultiplyAdd<TV>(dv, Lanes.Load<TV>(ref Unsafe.Add(ref x3, q)), a3);
            a4 = Lanes.FusedMultiplyAdd<TV>(dv, Lanes.Load<TV>(ref Unsafe.Add(ref x4, q)), a4);
            a5 = Lanes.FusedMultiplyAdd<TV>(dv, Lanes.Load<TV>(ref Unsafe.Add(ref x5, q)), a5);
            a6 = Lanes.FusedMultiplyAdd<TV>(dv, Lanes.Load<TV>(ref Unsafe.Add(ref x6, q)), a6);
            a7 = Lanes.FusedMultiplyAdd<TV>(dv, Lanes.Load<TV>(ref Unsafe.Add(ref x7, q)), a7);
            a8 = Lanes.FusedMultiplyAdd<TV>(dv, Lanes.Load<TV>(ref Unsafe.Add(ref x8, q)), a8);
        }
        sums[0] += Lanes.Sum<TV>(a0); sums[1] += Lanes.Sum<TV>(a1); sums[2] += Lanes.Sum<TV>(a2);
        sums[3] += Lanes.Sum<TV>(a3); sums[4] += Lanes.Sum<TV>(a4); sums[5] += Lanes.Sum<TV>(a5);
        sums[6] += Lanes.Sum<TV>(a6); sums[7] += Lanes.Sum<TV>(a7); sums[8] += Lanes.Sum<TV>(a8);
        return q;
    }
}
