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

    /// <summary>Sets the thread count of both backends: <see cref="ParallelRunner.Threads"/> and OpenBLAS'
    /// <c>openblas_set_num_threads</c> (when the library exports it).</summary>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        lock (OpenBlasThreadsGate)
        {
            ParallelRunner.Threads = threads;
            _openBlasThreads = threads;
            // Inside a serial region OpenBLAS stays at one thread; the count applies when the last region ends.
            if (_serialDepth == 0 && CblasGemm.IsAvailable) CblasGemm.TrySetThreads(threads);
        }
    }

    private static readonly object OpenBlasThreadsGate = new();
    private static int _serialDepth;
    private static int _openBlasThreads;

    /// <summary>For a parallel loop whose items each call GEMM (one product per image, say): every call must then run
    /// on one thread. The managed GEMM already runs serially inside a <see cref="ParallelRunner"/> loop; OpenBLAS is
    /// held to one thread until the last open scope is disposed — a multithreaded OpenBLAS called from several
    /// threads at once would oversubscribe the cores and is not safe. Scopes may overlap (several threads) and
    /// <see cref="SetThreads"/> during one takes effect when the last ends.</summary>
    public static SerialGemmScope SerialCalls()
    {
        if (!CblasGemm.IsAvailable) return default;
        lock (OpenBlasThreadsGate)
        {
            if (_serialDepth++ == 0)
            {
                if (_openBlasThreads == 0) _openBlasThreads = CblasGemm.Threads ?? ParallelRunner.Threads;
                CblasGemm.TrySetThreads(1);
            }
        }
        return new SerialGemmScope(active: true);
    }

    internal static void EndSerialCalls()
    {
        lock (OpenBlasThreadsGate)
        {
            if (--_serialDepth == 0) CblasGemm.TrySetThreads(_openBlasThreads);
        }
    }

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
                CblasGemm.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
        else
        {
            ManagedGemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
    }

    /// <summary>Validates the arguments and handles the trivial cases (m or n zero: nothing; k or alpha zero:
    /// C = beta * C). Returns true when a product remains to be computed.</summary>
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

/// <summary>The extent of <see cref="Blas.SerialCalls"/>; disposing the last open one gives OpenBLAS its thread count
/// back.</summary>
public readonly struct SerialGemmScope : IDisposable
{
    private readonly bool _active;

    internal SerialGemmScope(bool active) => _active = active;

    /// <summary>Ends the scope.</summary>
    public void Dispose()
    {
        if (_active) Blas.EndSerialCalls();
    }
}
