using Elbo.Engine.Threading;

namespace Elbo.Engine.Gemm;

/// <summary>Which GEMM implementation <see cref="Blas.Sgemm"/> uses.</summary>
public enum GemmBackend
{
    /// <summary>OpenBLAS (system CBLAS) when it loads, otherwise the managed GEMM.</summary>
    Auto,
    /// <summary>The system CBLAS: libopenblas.so.0 or libblas.so.3.</summary>
    OpenBlas,
    /// <summary>Elbo's own BLIS-style GEMM.</summary>
    Managed,
}

/// <summary>The engine's single GEMM entry point (row-major, like cblas_sgemm with CblasRowMajor):
/// C = alpha * op(A) * op(B) + beta * C, op(A) is m×k, op(B) is k×n, C is m×n.
/// The backend comes from the environment variable <c>ELBO_GEMM</c> (<c>openblas</c>, <c>managed</c> or <c>auto</c>,
/// the default: OpenBLAS when it loads, else managed) and can be changed with <see cref="Backend"/>.</summary>
public static class Blas
{
    // Resolved on first use, so that a bad ELBO_GEMM throws a plain InvalidOperationException at the first GEMM
    // rather than a TypeInitializationException.
    private static GemmBackend? _backend;

    /// <summary>The backend in use; never <see cref="GemmBackend.Auto"/> (setting Auto picks OpenBLAS when it
    /// loads, else managed). Defaults to <c>ELBO_GEMM</c>.</summary>
    /// <exception cref="InvalidOperationException">OpenBLAS was requested but cannot be loaded, or <c>ELBO_GEMM</c>
    /// names no backend.</exception>
    public static GemmBackend Backend
    {
        get => _backend ??= Resolve(ParseBackend(Environment.GetEnvironmentVariable("ELBO_GEMM")));
        set => _backend = Resolve(value);
    }

    /// <summary>True when the system CBLAS (OpenBLAS) loaded.</summary>
    public static bool OpenBlasAvailable => CblasGemm.IsAvailable;

    /// <summary>Sets the number of threads GEMM (either backend) and every other parallel kernel use:
    /// <see cref="ParallelRunner.Threads"/>. OpenBLAS itself always runs single-threaded (see <see cref="Sgemm"/>).</summary>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ParallelRunner.Threads = threads;
    }

    // Below this many multiply-adds an OpenBLAS call is not split over threads (a dispatch costs a few microseconds).
    internal const long SplitThreshold = 1L << 18;

    // Columns (or rows) of C per split are multiples of this (a cache line of floats, a whole micro-tile).
    private const int SplitAlign = 16;

    /// <summary>C = alpha * op(A) * op(B) + beta * C, row-major. op(X) is X or Xᵀ; op(A) is m×k (A stored m×k with
    /// row stride lda ≥ k, or k×m with lda ≥ m when <paramref name="transA"/>), op(B) is k×n (B stored k×n with
    /// ldb ≥ n, or n×k with ldb ≥ k when <paramref name="transB"/>), C is m×n with ldc ≥ n. When
    /// <paramref name="beta"/> is 0, C is not read (NaNs in it are ignored), as in BLAS.</summary>
    /// <exception cref="ArgumentException">A negative size, a too small leading dimension or a too short span.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if ((_backend ?? Backend) == GemmBackend.OpenBlas)
        {
            if (Prepare(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
                RunOpenBlas(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
        else
        {
            ManagedGemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
    }

    /// <summary>Validates the arguments and handles the trivial cases (m or n zero: nothing; k or alpha zero:
    /// C = beta * C). Returns true when a product remains to be computed.</summary>
    // OpenBLAS runs with one thread, and Elbo's own pool splits a large product into column (or row) blocks of C, one
    // single-threaded cblas_sgemm per thread. One pool for every kernel: OpenBLAS' threads spin for a long time after
    // each call (2^28 cycles by default), and with them beside Elbo's workers on two cores each pool's spinning threads
    // took time from the other's working ones (the MLP VAE step: 3.6 ms with OpenBLAS' threads, see docs/gemm.md).
    // Calls from inside a parallel loop (e.g. per-image convolution GEMMs) run whole on their thread.
    private static unsafe void RunOpenBlas(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        int threads = ParallelRunner.Threads;
        bool byColumns = n >= m;
        int extent = byColumns ? n : m;
        int parts = Math.Min(threads, extent / SplitAlign);
        if (parts < 2 || (long)m * n * k < SplitThreshold || ParallelRunner.IsBusy)
        {
            CblasGemm.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            var body = new SplitBody
            {
                TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
                A = pa, Lda = lda, B = pb, Ldb = ldb, C = pc, Ldc = ldc, Parts = parts, ByColumns = byColumns,
            };
            ParallelRunner.For(parts, ref body);
        }
    }

    // Block t of C: columns (or rows) [start, end) with boundaries on multiples of SplitAlign.
    private unsafe struct SplitBody : IParallelBody
    {
        public bool TransA, TransB, ByColumns;
        public int M, N, K, Lda, Ldb, Ldc, Parts;
        public float Alpha, Beta;
        public float* A, B, C;

        public void Invoke(int t)
        {
            int extent = ByColumns ? N : M;
            int start = Boundary(t, extent), end = Boundary(t + 1, extent);
            if (end <= start) return;
            if (ByColumns)
            {
                // C[:, j0:j1] = op(A) · op(B)[:, j0:j1]; B stored k×n (column offset) or n×k (row offset).
                float* b = TransB ? B + (long)start * Ldb : B + start;
                CblasGemm.RunUnchecked(TransA, TransB, M, end - start, K, Alpha, A, Lda, b, Ldb, Beta, C + start, Ldc);
            }
            else
            {
                // C[i0:i1, :] = op(A)[i0:i1, :] · op(B); A stored m×k (row offset) or k×m (column offset).
                float* a = TransA ? A + start : A + (long)start * Lda;
                CblasGemm.RunUnchecked(TransA, TransB, end - start, N, K, Alpha, a, Lda, B, Ldb, Beta, C + (long)start * Ldc, Ldc);
            }
        }

        private readonly int Boundary(int t, int extent)
        {
            if (t >= Parts) return extent;
            int blocks = (extent + SplitAlign - 1) / SplitAlign;
            return Math.Min(extent, (int)((long)blocks * t / Parts) * SplitAlign);
        }
    }

    internal static bool Prepare(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"gemm: sizes must be non-negative, got m={m}, n={n}, k={k}.");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        CheckMatrix("A", transA, aRows, aCols, a.Length, lda, m, n, k);
        CheckMatrix("B", transB, bRows, bCols, b.Length, ldb, m, n, k);
        CheckMatrix("C", false, m, n, c.Length, ldc, m, n, k);
        if (m == 0 || n == 0) return false;
        if (k == 0 || alpha == 0)
        {
            for (int i = 0; i < m; i++)
            {
                Span<float> row = c.Slice(i * ldc, n);
                if (beta == 0) row.Clear();
                else if (beta != 1) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
            return false;
        }
        return true;
    }

    private static void CheckMatrix(string name, bool trans, int rows, int cols, int length, int ld, int m, int n, int k)
    {
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (ld >= Math.Max(1, cols) && length >= needed) return;
        string shape = $"gemm (m={m}, n={n}, k={k}): {name}{(trans ? " (transposed)" : "")} stored {rows}×{cols}";
        string ldName = "ld" + name.ToLowerInvariant();
        if (ld < Math.Max(1, cols))
            throw new ArgumentException($"{shape} needs {ldName} ≥ {Math.Max(1, cols)}, got {ld}.");
        throw new ArgumentException($"{shape} with {ldName}={ld} needs {needed} elements, the span has {length}.");
    }

    /// <summary>Parses an <c>ELBO_GEMM</c> value: openblas, managed, auto or empty (auto); case-insensitive.</summary>
    internal static GemmBackend ParseBackend(string? env)
    {
        return env?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => GemmBackend.Auto,
            "openblas" or "blas" or "cblas" => GemmBackend.OpenBlas,
            "managed" => GemmBackend.Managed,
            _ => throw new InvalidOperationException(
                $"ELBO_GEMM='{env}' is not a GEMM backend; use openblas, managed or auto."),
        };
    }

    private static GemmBackend Resolve(GemmBackend requested) => requested switch
    {
        GemmBackend.Auto => CblasGemm.IsAvailable ? GemmBackend.OpenBlas : GemmBackend.Managed,
        GemmBackend.OpenBlas when !CblasGemm.IsAvailable => throw new InvalidOperationException(
            "gemm: the OpenBLAS backend was requested (ELBO_GEMM=openblas or Blas.Backend) but neither " +
            "libopenblas.so.0 nor libblas.so.3 with cblas_sgemm could be loaded. Install libopenblas0 or use managed."),
        GemmBackend.OpenBlas => GemmBackend.OpenBlas,
        GemmBackend.Managed => GemmBackend.Managed,
        _ => throw new ArgumentOutOfRangeException(nameof(requested), requested, "Unknown GEMM backend."),
    };
}
