namespace Elbo.Engine.Gemm;

/// <summary>Per-thread packing buffers of the managed GEMM: pinned, 64-byte aligned, grown on demand and then reused,
/// so that GEMM calls allocate nothing in the steady state.</summary>
internal sealed unsafe class GemmWorkspace
{
    [ThreadStatic] private static GemmWorkspace? t_current;

    private float[]? _packedA;
    private float* _packedAPtr;
    private long _packedACapacity;
    private float[]? _packedB;
    private float* _packedBPtr;
    private long _packedBCapacity;

    /// <summary>The workspace of the current thread.</summary>
    public static GemmWorkspace Current => t_current ??= new GemmWorkspace();

    /// <summary>A buffer for a packed A block of at least <paramref name="floats"/> floats.</summary>
    public float* PackedA(long floats)
    {
        if (floats > _packedACapacity) _packedAPtr = Grow(ref _packedA, floats, out _packedACapacity);
        return _packedAPtr;
    }

    /// <summary>A buffer for a packed B block of at least <paramref name="floats"/> floats.</summary>
    public float* PackedB(long floats)
    {
        if (floats > _packedBCapacity) _packedBPtr = Grow(ref _packedB, floats, out _packedBCapacity);
        return _packedBPtr;
    }

    private static float* Grow(ref float[]? array, long floats, out long capacity)
    {
        // Pinned object heap: the address never moves; 16 spare floats let us align to 64 bytes.
        array = GC.AllocateUninitializedArray<float>(checked((int)floats + 16), pinned: true);
        capacity = floats;
        fixed (float* p = array)
            return (float*)(((nint)p + 63) & ~(nint)63);
    }
}
