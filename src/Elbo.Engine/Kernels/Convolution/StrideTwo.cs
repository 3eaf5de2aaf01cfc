using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Elbo.Engine.Kernels.Convolution;

/// <summary>
/// The inner loops of im2col and col2im for stride 2, on rows of a few dozen values: every other value of a source
/// row gathered into a contiguous row, its adjoint, a contiguous row added into every other value of a target row, and
/// the split of whole rows by row and column parity into four phase planes. With AVX-512 sixteen values at a time: masked loads and stores (no access beyond the row's last used value)
/// and a two-register permute that picks the even lanes (or spreads values into them). With AVX2 eight at a time
/// within the row, by a shuffle and a 64-bit lane permute (or unpacks with zero, 128-bit lane permutes and a blend),
/// then four with SSE, and the row's last values scalar; otherwise scalar. The vector paths perform exactly the scalar
/// paths' float operations.
/// </summary>
internal static unsafe class StrideTwo
{
    private static readonly Vector512<int> EvenLanes = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> OddLanes = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    private static readonly Vector512<int> SpreadLow = Vector512.Create(0, 16, 1, 16, 2, 16, 3, 16, 4, 16, 5, 16, 6, 16, 7, 16);
    private static readonly Vector512<int> SpreadHigh = Vector512.Create(8, 16, 9, 16, 10, 16, 11, 16, 12, 16, 13, 16, 14, 16, 15, 16);

    /// <summary>destination[k] = source[2k] for k in [0, n); reads source[0 .. 2n−2] only.</summary>
    public static void Gather(ref float source, ref float destination, int n)
    {
        int k = 0;
        if (Avx512F.IsSupported)
        {
            fixed (float* src = &source, dst = &destination)
                for (; k < n; k += 16)
                {
                    int count = Math.Min(16, n - k), span = 2 * count - 1;            // values read: 2·count − 1
                    var lo = Avx512F.MaskLoad(src + 2 * k, Mask(Math.Min(span, 16)), Vector512<float>.Zero);
                    var hi = span > 16 ? Avx512F.MaskLoad(src + 2 * k + 16, Mask(span - 16), Vector512<float>.Zero) : Vector512<float>.Zero;
                    Avx512F.MaskStore(dst + k, Mask(count), Avx512F.PermuteVar16x32x2(lo, EvenLanes, hi));
                }
            return;
        }
        if (Avx2.IsSupported)
        {
            fixed (float* src = &source, dst = &destination)
                GatherAvx2(src, dst, n);
            return;
        }
        for (; k < n; k++) Unsafe.Add(ref destination, k) = Unsafe.Add(ref source, 2 * k);
    }

    /// <summary>target[2k] += source[k] for k in [0, n); touches target[0 .. 2n−2] only.</summary>
    public static void ScatterAdd(ref float source, ref float target, int n)
    {
        int k = 0;
        if (Avx512F.IsSupported)
        {
            fixed (float* src = &source, dst = &target)
                for (; k < n; k += 16)
                {
                    int count = Math.Min(16, n - k), span = 2 * count - 1;
                    var values = Avx512F.MaskLoad(src + k, Mask(count), Vector512<float>.Zero);
                    var maskLo = Mask(Math.Min(span, 16));
                    float* t = dst + 2 * k;
                    var lo = Avx512F.MaskLoad(t, maskLo, Vector512<float>.Zero);
                    // Only the even lanes are stored back; the odd ones (target values between) stay untouched.
                    Avx512F.MaskStore(t, OddFree(maskLo), lo + Avx512F.PermuteVar16x32x2(values, SpreadLow, Vector512<float>.Zero));
                    if (span > 16)
                    {
                        var maskHi = Mask(span - 16);
                        var hi = Avx512F.MaskLoad(t + 16, maskHi, Vector512<float>.Zero);
                        Avx512F.MaskStore(t + 16, OddFree(maskHi), hi + Avx512F.PermuteVar16x32x2(values, SpreadHigh, Vector512<float>.Zero));
                    }
                }
            return;
        }
        if (Avx2.IsSupported)
        {
            fixed (float* src = &source, dst = &target)
                ScatterAddAvx2(src, dst, n);
            return;
        }
        for (; k < n; k++) Unsafe.Add(ref target, 2 * k) += Unsafe.Add(ref source, k);
    }

    // AVX2: dst[k] = src[2k] for k < n. Eight at a time while the chunk's sixteen source values lie within the row
    // (k + 8 < n), then four (k + 4 < n), the rest scalar: AMD's masked stores (Zen 3) were slower than the scalar
    // loop, so none is used. Of each 128-bit lane the shuffle takes lo's and hi's even values (lo0 lo2 hi0 hi2 | lo4
    // lo6 hi4 hi6); the 64-bit permute (0, 2, 1, 3) puts them in order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GatherAvx2(float* src, float* dst, int n)
    {
        int k = 0;
        for (; k + 8 < n; k += 8)
        {
            var lo = Vector256.Load(src + 2 * k);
            var hi = Vector256.Load(src + 2 * k + 8);
            Avx2.Permute4x64(Avx.Shuffle(lo, hi, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle().Store(dst + k);
        }
        if (k + 4 < n)
        {
            Sse.Shuffle(Vector128.Load(src + 2 * k), Vector128.Load(src + 2 * k + 4), 0b10_00_10_00).Store(dst + k);
            k += 4;
        }
        for (; k < n; k++) dst[k] = src[2 * k];
    }

    // AVX2: t[2k] += src[k] for k < n, eight at a time while the chunk's sixteen target values lie within the row, then
    // four, the rest scalar. Unpacking with zero gives v0 0 v1 0 | v4 0 v5 0 and v2 0 v3 0 | v6 0 v7 0, the 128-bit
    // permutes the two spread halves; the blend keeps the sum in the even lanes and the loaded value in the odd ones,
    // so the odd values between are stored back unchanged, bit for bit (no other thread may write the row meanwhile).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScatterAddAvx2(float* src, float* t, int n)
    {
        int k = 0;
        for (; k + 8 < n; k += 8)
        {
            var values = Vector256.Load(src + k);
            var low = Avx.UnpackLow(values, Vector256<float>.Zero);
            var high = Avx.UnpackHigh(values, Vector256<float>.Zero);
            float* p = t + 2 * k;
            var x0 = Vector256.Load(p);
            var x1 = Vector256.Load(p + 8);
            Avx.Blend(x0, x0 + Avx.Permute2x128(low, high, 0x20), 0b0101_0101).Store(p);
            Avx.Blend(x1, x1 + Avx.Permute2x128(low, high, 0x31), 0b0101_0101).Store(p + 8);
        }
        if (k + 4 < n)
        {
            var values = Vector128.Load(src + k);
            float* p = t + 2 * k;
            var x0 = Vector128.Load(p);
            var x1 = Vector128.Load(p + 4);
            Sse41.Blend(x0, x0 + Sse.UnpackLow(values, Vector128<float>.Zero), 0b0101).Store(p);
            Sse41.Blend(x1, x1 + Sse.UnpackHigh(values, Vector128<float>.Zero), 0b0101).Store(p + 4);
            k += 4;
        }
        for (; k < n; k++) t[2 * k] += src[k];
    }

    /// <summary><see cref="Gather"/> on <paramref name="rows"/> rows at once: row r reads from
    /// <paramref name="sourceStride"/>·r and writes at <paramref name="destinationStride"/>·r. The masks are built once
    /// for all rows (a row of im2col holds one short run per output row: 7 or 14 values in the conv VAE).</summary>
    public static void GatherRows(ref float source, int sourceStride, ref float destination, int destinationStride, int n, int rows)
    {
        if (Avx512F.IsSupported && n <= 16)
        {
            if (n <= 0) return;
            int span = 2 * n - 1;
            var maskLo = Mask(Math.Min(span, 16));
            var maskHi = Mask(span - 16);
            var maskOut = Mask(n);
            bool high = span > 16;
            fixed (float* src0 = &source, dst0 = &destination)
                for (int r = 0; r < rows; r++)
                {
                    float* src = src0 + (long)r * sourceStride;
                    var lo = Avx512F.MaskLoad(src, maskLo, Vector512<float>.Zero);
                    var hi = high ? Avx512F.MaskLoad(src + 16, maskHi, Vector512<float>.Zero) : Vector512<float>.Zero;
                    Avx512F.MaskStore(dst0 + (long)r * destinationStride, maskOut, Avx512F.PermuteVar16x32x2(lo, EvenLanes, hi));
                }
            return;
        }
        if (Avx2.IsSupported && !Avx512F.IsSupported)
        {
            fixed (float* src0 = &source, dst0 = &destination)
                for (int r = 0; r < rows; r++)
                    GatherAvx2(src0 + (long)r * sourceStride, dst0 + (long)r * destinationStride, n);
            return;
        }
        for (int r = 0; r < rows; r++)
            Gather(ref Unsafe.Add(ref source, (nint)r * sourceStride), ref Unsafe.Add(ref destination, (nint)r * destinationStride), n);
    }

    /// <summary>Splits <paramref name="rows"/> rows of <paramref name="width"/> values (row r at
    /// <paramref name="sourceStride"/>·r) by row and column parity into four planes: row r's even columns go to row
    /// r / 2 of <paramref name="evenEven"/> (r even) or <paramref name="oddEven"/> (r odd), its odd columns to
    /// <paramref name="evenOdd"/> or <paramref name="oddOdd"/>; plane rows are <paramref name="pitch"/> apart. Reads
    /// each source row once, in order (so the hardware prefetcher sees one stream, where four stride-2 gathers re-read
    /// it in two passes), and writes ⌈width/2⌉ and ⌊width/2⌋ values per plane row.</summary>
    public static void SplitPhases(ref float source, int sourceStride, int width, int rows,
        ref float evenEven, ref float evenOdd, ref float oddEven, ref float oddOdd, int pitch)
    {
        int nEven = (width + 1) / 2, nOdd = width / 2;
        if (width <= 0 || rows <= 0) return;
        if (Avx512F.IsSupported)
        {
            fixed (float* src0 = &source, ee = &evenEven, eo = &evenOdd, oe = &oddEven, oo = &oddOdd)
            {
                if (width <= 32)
                {
                    // one chunk a row: the masks are the same for every row
                    var maskLo = Mask(Math.Min(width, 16));
                    var maskHi = Mask(width - 16);
                    var maskEven = Mask(nEven);
                    var maskOdd = Mask(nOdd);
                    bool high = width > 16;
                    for (int r = 0; r < rows; r++)
                    {
                        float* src = src0 + (long)r * sourceStride;
                        long at = (long)(r >> 1) * pitch;
                        var lo = Avx512F.MaskLoad(src, maskLo, Vector512<float>.Zero);
                        var hi = high ? Avx512F.MaskLoad(src + 16, maskHi, Vector512<float>.Zero) : Vector512<float>.Zero;
                        Avx512F.MaskStore(((r & 1) == 0 ? ee : oe) + at, maskEven, Avx512F.PermuteVar16x32x2(lo, EvenLanes, hi));
                        Avx512F.MaskStore(((r & 1) == 0 ? eo : oo) + at, maskOdd, Avx512F.PermuteVar16x32x2(lo, OddLanes, hi));
                    }
                    return;
                }
                for (int r = 0; r < rows; r++)
                {
                    float* src = src0 + (long)r * sourceStride;
                    long at = (long)(r >> 1) * pitch;
                    float* even = ((r & 1) == 0 ? ee : oe) + at, odd = ((r & 1) == 0 ? eo : oo) + at;
                    for (int k = 0; k < nEven; k += 16)
                    {
                        int span = Math.Min(32, width - 2 * k);                        // source values of this chunk
                        var lo = Avx512F.MaskLoad(src + 2 * k, Mask(Math.Min(span, 16)), Vector512<float>.Zero);
                        var hi = span > 16 ? Avx512F.MaskLoad(src + 2 * k + 16, Mask(span - 16), Vector512<float>.Zero) : Vector512<float>.Zero;
                        Avx512F.MaskStore(even + k, Mask(Math.Min(16, nEven - k)), Avx512F.PermuteVar16x32x2(lo, EvenLanes, hi));
                        if (nOdd > k)
                            Avx512F.MaskStore(odd + k, Mask(Math.Min(16, nOdd - k)), Avx512F.PermuteVar16x32x2(lo, OddLanes, hi));
                    }
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            ref float src = ref Unsafe.Add(ref source, (nint)r * sourceStride);
            nint at = (nint)(r >> 1) * pitch;
            Gather(ref src, ref Unsafe.Add(ref ((r & 1) == 0 ? ref evenEven : ref oddEven), at), nEven);
            if (nOdd > 0) Gather(ref Unsafe.Add(ref src, 1), ref Unsafe.Add(ref ((r & 1) == 0 ? ref evenOdd : ref oddOdd), at), nOdd);
        }
    }

    /// <summary><see cref="ScatterAdd"/> on <paramref name="rows"/> rows at once (row r: source at
    /// <paramref name="sourceStride"/>·r, target at <paramref name="targetStride"/>·r; target rows must not overlap).</summary>
    public static void ScatterAddRows(ref float source, int sourceStride, ref float target, int targetStride, int n, int rows)
    {
        if (Avx512F.IsSupported && n <= 16)
        {
            if (n <= 0) return;
            int span = 2 * n - 1;
            var maskIn = Mask(n);
            var maskLo = Mask(Math.Min(span, 16));
            var storeLo = OddFree(maskLo);
            var maskHi = Mask(span - 16);
            var storeHi = OddFree(maskHi);
            bool high = span > 16;
            fixed (float* src0 = &source, dst0 = &target)
                for (int r = 0; r < rows; r++)
                {
                    var values = Avx512F.MaskLoad(src0 + (long)r * sourceStride, maskIn, Vector512<float>.Zero);
                    float* t = dst0 + (long)r * targetStride;
                    var lo = Avx512F.MaskLoad(t, maskLo, Vector512<float>.Zero);
                    Avx512F.MaskStore(t, storeLo, lo + Avx512F.PermuteVar16x32x2(values, SpreadLow, Vector512<float>.Zero));
                    if (high)
                    {
                        var hi = Avx512F.MaskLoad(t + 16, maskHi, Vector512<float>.Zero);
                        Avx512F.MaskStore(t + 16, storeHi, hi + Avx512F.PermuteVar16x32x2(values, SpreadHigh, Vector512<float>.Zero));
                    }
                }
            return;
        }
        if (Avx2.IsSupported && !Avx512F.IsSupported)
        {
            fixed (float* src0 = &source, dst0 = &target)
                for (int r = 0; r < rows; r++)
                    ScatterAddAvx2(src0 + (long)r * sourceStride, dst0 + (long)r * targetStride, n);
            return;
        }
        for (int r = 0; r < rows; r++)
            ScatterAdd(ref Unsafe.Add(ref source, (nint)r * sourceStride), ref Unsafe.Add(ref target, (nint)r * targetStride), n);
    }

    // A mask vector with the first `count` lanes set (all bits) — MaskLoad/MaskStore use each lane's sign bit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Mask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    // The even lanes of a mask (the odd ones are left untouched in memory).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> OddFree(Vector512<float> mask) =>
        (mask.AsInt32() & Vector512.Create(-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0)).AsSingle();
}
