using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Elbo.Engine.Kernels.Common;

/// <summary>
/// Copies and clears of rows a few dozen floats long — an image row of 28, an im2col run of 7 or 14 — done in
/// registers: at that length a memmove or memset call costs more than the stores themselves.
/// </summary>
internal static class ShortRows
{
    /// <summary>to[0, n) = from[0, n), by whole registers with the last one moved back to end at n (two overlapping
    /// 128-bit registers below eight floats); touches no float outside [0, n) of either row, which must not overlap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(ref float from, ref float to, int n)
    {
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            int x = 0;
            for (; x <= n - Vector256<float>.Count; x += Vector256<float>.Count)
                Vector256.LoadUnsafe(ref from, (nuint)x).StoreUnsafe(ref to, (nuint)x);
            if (x < n)
                Vector256.LoadUnsafe(ref from, (nuint)(n - Vector256<float>.Count)).StoreUnsafe(ref to, (nuint)(n - Vector256<float>.Count));
            return;
        }
        if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            int x = 0;
            for (; x <= n - Vector128<float>.Count; x += Vector128<float>.Count)
                Vector128.LoadUnsafe(ref from, (nuint)x).StoreUnsafe(ref to, (nuint)x);
            if (x < n)
                Vector128.LoadUnsafe(ref from, (nuint)(n - Vector128<float>.Count)).StoreUnsafe(ref to, (nuint)(n - Vector128<float>.Count));
            return;
        }
        for (int x = 0; x < n; x++) Unsafe.Add(ref to, x) = Unsafe.Add(ref from, x);
    }

    /// <summary><see cref="Copy(ref float, ref float, int)"/> of the whole of <paramref name="from"/>;
    /// <paramref name="to"/> must be at least as long.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(ReadOnlySpan<float> from, Span<float> to)
    {
        if (to.Length < from.Length) TooShort(from.Length, to.Length);
        Copy(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(from),
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(to), from.Length);
    }

    // Out of line, so the copy inlines at its call sites.
    private static void TooShort(int n, int room) => throw new ArgumentException($"a row of {n} floats does not fit in {room}");

    /// <summary>span = 0, by single stores up to 16 floats (a row's padding), by <see cref="Span{T}.Clear"/> beyond.</summary>
    public static void Clear(Span<float> span)
    {
        if (span.Length > 16) { span.Clear(); return; }
        for (int i = 0; i < span.Length; i++) span[i] = 0f;
    }
}
