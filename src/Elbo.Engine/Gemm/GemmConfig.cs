namespace Elbo.Engine.Gemm;

/// <summary>Blocking parameters of the managed BLIS-style GEMM (<see cref="ManagedGemm"/>).
/// <para>MR×NR is the register tile of the micro-kernel (<see cref="MicroKernel"/>): NR = 32 columns are two
/// Vector512 per row; MR = 8 rows give 16 zmm accumulators + 2 B vectors + 1 broadcast. MR = 12 and 14 (up to 31 of
/// the 32 zmm registers) were measured too: equal on large shapes, slower on the VAE's 128-row batches, which
/// MR = 8 tiles without padding (also when split over 2 threads). Changing MR means re-unrolling the kernel.
/// KC×NR (a packed B micro-panel) is meant to stay in L1, MC×KC (the packed A block) in L2, KC×NC (the packed B
/// block) in L3.</para></summary>
public static class GemmConfig
{
    /// <summary>Rows of the micro-kernel's register tile (and of a packed A micro-panel).</summary>
    public const int MR = 8;

    /// <summary>Columns of the micro-kernel's register tile (and of a packed B micro-panel).</summary>
    public const int NR = 32;

    private static int _mc = 168;
    private static int _kc = 256;
    private static int _nc = 2048;

    /// <summary>Rows of op(A) packed per block (rounded up to a multiple of <see cref="MR"/>).</summary>
    public static int MC
    {
        get => _mc;
        set => _mc = RoundUp(Math.Max(value, 1), MR);
    }

    /// <summary>Depth of a packed block: the k extent of one pass over C.</summary>
    public static int KC
    {
        get => _kc;
        set => _kc = Math.Max(value, 1);
    }

    /// <summary>Columns of op(B) packed per block (rounded up to a multiple of <see cref="NR"/>).</summary>
    public static int NC
    {
        get => _nc;
        set => _nc = RoundUp(Math.Max(value, 1), NR);
    }

    /// <summary>Products with fewer rows than this take the direct, unpacked path (<see cref="DirectGemm"/>): packing
    /// a 1-row A into 8-row panels would waste most of the kernel's work. Measured: even 16×16×16 is faster packed.</summary>
    public const int DirectMaxRows = 3;

    /// <summary>Upper bound (in floats) on the packed B of one column block: k × NC unless k is very large
    /// (4M floats = 16 MB).</summary>
    public static long PackedBMaxFloats { get; set; } = 4L << 20;

    /// <summary>Problems with fewer multiply-adds (m·n·k) than this run on one thread.</summary>
    public static long ParallelMinMultiplyAdds { get; set; } = 64 * 1024;

    internal static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;
}
