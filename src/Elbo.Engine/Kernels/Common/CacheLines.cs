using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Elbo.Engine.Kernels.Common;

/// <summary>
/// Software prefetch for kernels that walk an activation a plane at a time. A conv layer's input is often read cold (a
/// gradient just written by the layer above, or an activation written a whole forward pass ago), and one plane — a
/// few hundred floats to a few kilobytes — is too short a stream for the hardware prefetcher to ramp up on, while the
/// next plane's address is known: asking for it while the current one is worked on hides the misses.
/// </summary>
internal static unsafe class CacheLines
{
    /// <summary>Asks for the <paramref name="floats"/> floats from <paramref name="start"/> to be brought into all cache
    /// levels, one prefetch per 64-byte line; never faults, does nothing without SSE.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(ref float start, int floats)
    {
        if (!Sse.IsSupported) return;
        fixed (float* p = &start)
            for (int i = 0; i < floats; i += 16) Sse.Prefetch0(p + i);
    }
}
