using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Elbo.Engine.Kernels.Convolution;

/// <summary>
/// The inner loops of im2col and col2im for stride 2, on rows of a few dozen values: every other value of a source
/// row gathered into a contiguous row, and its adjoint, a contiguous row added into every other value of a target
/// row. With AVX-512 sixteen values at a time: masked loads and stores (no access beyond the row's last used value)
/// and a two-register permute that picks the even lanes (or spreads values into them); otherwise scalar. The vector
/// paths perform exactly the scalar paths' float operations.
/// </summary>
internal static unsafe class StrideTwo
{
    private static readonly Vector512<int> EvenLanes = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
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
        for (; k < n; k++) Unsafe.Add(ref target, 2 * k) += Unsafe.Add(ref source, k);
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
        for (int r = 0; r < rows; r++)
            Gather(ref Unsafe.Add(ref source, (nint)r * sourceStride), ref Unsafe.Add(ref destination, (nint)r * destinationStride), n);
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
