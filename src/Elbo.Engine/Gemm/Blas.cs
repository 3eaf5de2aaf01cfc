using Elbo.Engine.Threading;

namespace Elbo.Engine.Gemm;

/// <summary>Which GEMM implementation <see cref="Blas.Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/> uses.</summary>
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

    // Whether a GemmTrace is open: every call's shape is then recorded.
    internal static volatile bool Tracing;

    /// <summary>The backend in use; never <see cref="GemmBackend.Auto"/> (setting Auto picks OpenBLAS when it
    /// loads, else managed). Defaults to <c>ELBO_GEMM</c>.</summary>
    /// <exception cref="InvalidOperationException">OpenBLAS was requested but cannot be loaded, or <c>ELBO_GEMM</c>
    /// names no backend.</exception>
    public static GemmBackend Backend
    {
        get => _backend ??= Resolve(ParseBackend(Environment.GetEnvironmentVariable("ELBO_GEMM")));
        set
        {
            _backend = Resolve(value);
            _fewRowsBackend = null;
        }
    }

    private static GemmBackend? _fewRowsBackend;

    /// <summary>The backend of products with at most <see cref="GemmConfig.DirectMaxRows"/> rows of C — one example's
    /// layer, as a server's batch-1 request runs it — which a calibration may choose apart from <see cref="Backend"/>:
    /// such a product reads the whole weight matrix for one row, and the managed GEMM's unpacked path and OpenBLAS' do
    /// that at different speeds than their blocked kernels run big products. Follows <see cref="Backend"/> until set;
    /// setting <see cref="Backend"/> makes it follow again.</summary>
    public static GemmBackend FewRowsBackend
    {
        get => _fewRowsBackend ?? Backend;
        set => _fewRowsBackend = Resolve(value);
    }

    /// <summary>True when the system CBLAS (OpenBLAS) loaded.</summary>
    public static bool OpenBlasAvailable => CblasGemm.IsAvailable;

    /// <summary>Sets the number of threads GEMM (either backend) and every other parallel kernel use:
    /// <see cref="ParallelRunner.Threads"/>. OpenBLAS itself always runs single-threaded (see <see cref="Blas.Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>).</summary>
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
        => Sgemm(m <= GemmConfig.DirectMaxRows ? _fewRowsBackend ?? _backend ?? Backend : _backend ?? Backend,
            transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>The entry point of every backend's span API (<see cref="Sgemm(bool, bool, int, int, int, float,
    /// ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>, <see cref="ManagedGemm.Sgemm"/>,
    /// <see cref="CblasGemm.Sgemm"/>): pins the spans into one <see cref="GemmProblem"/>, validates it and runs it on
    /// <paramref name="backend"/>.</summary>
    internal static unsafe void Sgemm(GemmBackend backend, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (Tracing) GemmTrace.Record(new GemmShape(transA, transB, m, n, k, ParallelRunner.InLoop));
        fixed (float* pa = a, pb = b, pc = c)
        {
            var g = new GemmProblem(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            if (!g.Prepare(a.Length, b.Length, c.Length)) return;
            if (backend == GemmBackend.OpenBlas) RunOpenBlas(g);
            else ManagedGemm.Compute(g);
        }
    }

    // OpenBLAS runs with one thread, and Elbo's own pool splits a large product into column (or row) blocks of C, one
    // single-threaded cblas_sgemm per thread. One pool for every kernel: OpenBLAS' threads spin for a long time after
    // each call (2^28 cycles by default), and with them beside Elbo's workers on two cores each pool's spinning threads
    // took time from the other's working ones (the MLP VAE step: 3.6 ms with OpenBLAS' threads, see docs/gemm.md).
    // Calls from inside a parallel loop (e.g. per-image convolution GEMMs) run whole on their thread. Whether a call is
    // split depends on its shape, the thread count and that alone (ParallelRunner.InLoop, not IsBusy): while another
    // thread's loop holds the pool the pieces run one after another on the caller, so the result has the same bits
    // as when they run in parallel (a GEMM of a column block need not round as the same columns of the whole do).
    private static void RunOpenBlas(in GemmProblem g)
    {
        int threads = ParallelRunner.Threads;
        bool byColumns = g.N >= g.M;
        int extent = byColumns ? g.N : g.M;
        int parts = Math.Min(threads, extent / SplitAlign);
        if (parts < 2 || (long)g.M * g.N * g.K < SplitThreshold || ParallelRunner.InLoop)
        {
            CblasGemm.Run(g);
            return;
        }
        var body = new SplitBody { G = g, Parts = parts, ByColumns = byColumns };
        ParallelRunner.For(parts, ref body);
    }

    // Block t of C: columns (or rows) [start, end) with boundaries on multiples of SplitAlign.
    private struct SplitBody : IParallelBody
    {
        public GemmProblem G;
        public int Parts;
        public bool ByColumns;

        public readonly void Invoke(int t)
        {
            int extent = ByColumns ? G.N : G.M;
            int start = Boundary(t, extent), end = Boundary(t + 1, extent);
            if (end <= start) return;
            CblasGemm.Run(ByColumns ? G.Columns(start, end) : G.Rows(start, end));
        }

        private readonly int Boundary(int t, int extent)
        {
            if (t >= Parts) return extent;
            int blocks = (extent + SplitAlign - 1) / SplitAlign;
            return Math.Min(extent, (int)((long)blocks * t / Parts) * SplitAlign);
        }
    }

    /// <summary>Parses an <c>ELBO_GEMM</c> value: openblas, managed, auto or empty (auto); case-insensitive.</summary>
    public static GemmBackend ParseBackend(string? env)
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
