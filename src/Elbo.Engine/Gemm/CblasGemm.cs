using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Elbo.Engine.Gemm;

/// <summary>The system CBLAS backend: <c>cblas_sgemm</c> from libopenblas.so.0 (or libblas.so.3), called through an
/// unmanaged function pointer so that a call allocates nothing.</summary>
public static unsafe class CblasGemm
{
    private const int CblasRowMajor = 101;
    private const int CblasNoTrans = 111;
    private const int CblasTrans = 112;

    private static readonly string[] LibraryNames =
        ["libopenblas.so.0", "libopenblas.so", "libblas.so.3", "libopenblas.dll", "libopenblas.dylib"];

    // void cblas_sgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)
    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> SgemmPtr;
    private static readonly delegate* unmanaged<int, void> SetNumThreadsPtr;
    private static readonly delegate* unmanaged<int> GetNumThreadsPtr;

    static CblasGemm()
    {
        HintSingleThread();
        HintCoreType();
        foreach (string name in LibraryNames)
        {
            if (!NativeLibrary.TryLoad(name, typeof(CblasGemm).Assembly, null, out IntPtr handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out IntPtr sgemm)) continue;
            SgemmPtr = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
            if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out IntPtr setThreads))
                SetNumThreadsPtr = (delegate* unmanaged<int, void>)setThreads;
            if (NativeLibrary.TryGetExport(handle, "openblas_get_num_threads", out IntPtr getThreads))
                GetNumThreadsPtr = (delegate* unmanaged<int>)getThreads;
            LibraryName = name;
            // Single-threaded: Elbo's own pool runs the threads (Blas.Sgemm splits large products).
            if (SetNumThreadsPtr != null) SetNumThreadsPtr(1);
            if (NativeLibrary.TryGetExport(handle, "openblas_get_corename", out IntPtr coreName))
                CoreName = Marshal.PtrToStringAnsi(((delegate* unmanaged<IntPtr>)coreName)());
            return;
        }
    }

    // OpenBLAS builds older than the CPU (e.g. Debian 12's 0.3.21 on Sapphire/Emerald Rapids) fall back to the generic
    // "Prescott" SSE3 kernels, 4-5× slower than their AVX-512 ones. On a CPU with the AVX-512 subsets OpenBLAS'
    // SkylakeX kernels use, and unless the user chose a core with OPENBLAS_CORETYPE, name that core before the library
    // loads (OpenBLAS reads the variable once, when loaded). The native environment must be set with libc's setenv:
    // Environment.SetEnvironmentVariable only changes .NET's copy.
    private static void HintCoreType()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") != null) return;
        if (!(Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported)) return;
        try
        {
            fixed (byte* name = "OPENBLAS_CORETYPE\0"u8)
            fixed (byte* value = "SkylakeX\0"u8)
                SetEnv(name, value, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc setenv: OpenBLAS keeps its own detection.
        }
    }

    // OpenBLAS starts its thread pool when it loads, sized by OPENBLAS_NUM_THREADS (default: every core). Elbo calls it
    // single-threaded (Blas.Sgemm splits large products over Elbo's own pool), so unless the user set the variable,
    // ask for one thread before loading: no idle OpenBLAS threads at all.
    private static void HintSingleThread()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OPENBLAS_NUM_THREADS") != null) return;
        try
        {
            fixed (byte* name = "OPENBLAS_NUM_THREADS\0"u8)
            fixed (byte* value = "1\0"u8)
                SetEnv(name, value, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(byte* name, byte* value, int overwrite);

    /// <summary>True when a CBLAS library with <c>cblas_sgemm</c> was loaded.</summary>
    public static bool IsAvailable => SgemmPtr != null;

    /// <summary>The name of the loaded library, or null when none loaded.</summary>
    public static string? LibraryName { get; }

    /// <summary>The CPU core type OpenBLAS chose (<c>openblas_get_corename</c>), e.g. <c>SkylakeX</c>; null when unknown.
    /// OpenBLAS builds older than the CPU may fall back to a slow generic core (e.g. <c>Prescott</c>); the environment
    /// variable <c>OPENBLAS_CORETYPE</c> (e.g. <c>SkylakeX</c>, <c>Haswell</c>) overrides the choice. When it is unset
    /// and the CPU has AVX-512 (F, BW, DQ, VL), Elbo sets it to <c>SkylakeX</c> before loading OpenBLAS.</summary>
    public static string? CoreName { get; }

    /// <summary>OpenBLAS' thread count (<c>openblas_get_num_threads</c>), or null when the library does not say.</summary>
    public static int? Threads => GetNumThreadsPtr == null ? null : GetNumThreadsPtr();

    /// <summary>Sets OpenBLAS' thread count when the library exports <c>openblas_set_num_threads</c>;
    /// returns false otherwise.</summary>
    public static bool TrySetThreads(int threads)
    {
        if (SetNumThreadsPtr == null) return false;
        SetNumThreadsPtr(threads);
        return true;
    }

    /// <summary>C = alpha * op(A) * op(B) + beta * C (row-major) through <c>cblas_sgemm</c>, with the conventions
    /// and argument checks of <see cref="Blas.Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>.</summary>
    /// <exception cref="InvalidOperationException">No CBLAS library could be loaded.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (SgemmPtr == null) ThrowUnavailable();
        Blas.Sgemm(GemmBackend.OpenBlas, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    // Calls cblas_sgemm on a validated, non-trivial problem (or one block of it).
    internal static void Run(in GemmProblem g)
    {
        if (SgemmPtr == null) ThrowUnavailable();
        SgemmPtr(CblasRowMajor, g.TransA ? CblasTrans : CblasNoTrans, g.TransB ? CblasTrans : CblasNoTrans,
            g.M, g.N, g.K, g.Alpha, g.A, (int)g.Lda, g.B, (int)g.Ldb, g.Beta, g.C, (int)g.Ldc);
    }

    private static void ThrowUnavailable() => throw new InvalidOperationException(
        "gemm: the OpenBLAS backend was requested but no CBLAS library (libopenblas.so.0 or libblas.so.3) could be loaded.");
}
