namespace Elbo.Engine.Tests.Support;

/// <summary>Measures managed allocations of a piece of code on the current thread (for zero-allocation tests).</summary>
public static class Allocations
{
    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times (first-use allocations, JIT), then
    /// returns the bytes allocated by one more run on this thread.</summary>
    public static long Measure(Action action, int warmup = 3)
    {
        for (int i = 0; i < warmup; i++) action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
