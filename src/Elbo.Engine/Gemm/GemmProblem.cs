namespace Elbo.Engine.Gemm;

/// <summary>The operands of one GEMM call as raw pointers (the caller keeps them pinned):
/// C (m,n) = alpha * op(A) (m,k) * op(B) (k,n) + beta * C, all row-major. Built once by the public entry points from
/// their spans and passed on whole: validation, the trivial cases, the backends and the blocks of a split product.</summary>
internal readonly unsafe struct GemmProblem
{
    public readonly float* A, B, C;
    public readonly nint Lda, Ldb, Ldc;
    public readonly bool TransA, TransB;
    public readonly int M, N, K;
    public readonly float Alpha, Beta;

    public GemmProblem(bool transA, bool transB, int m, int n, int k, float alpha, float* a, nint lda, float* b, nint ldb,
        float beta, float* c, nint ldc)
    {
        TransA = transA;
        TransB = transB;
        M = m;
        N = n;
        K = k;
        Alpha = alpha;
        A = a;
        Lda = lda;
        B = b;
        Ldb = ldb;
        Beta = beta;
        C = c;
        Ldc = ldc;
    }

    /// <summary>op(A)[i, p].</summary>
    public float AAt(int i, int p) => TransA ? A[p * Lda + i] : A[i * Lda + p];

    /// <summary>op(B)[p, j].</summary>
    public float BAt(int p, int j) => TransB ? B[j * Ldb + p] : B[p * Ldb + j];

    /// <summary>The product restricted to columns [j0, j1) of C: C[:, j0:j1] = op(A) · op(B)[:, j0:j1]
    /// (B stored k×n: a column offset; n×k: a row offset).</summary>
    public GemmProblem Columns(int j0, int j1) =>
        new(TransA, TransB, M, j1 - j0, K, Alpha, A, Lda, TransB ? B + j0 * Ldb : B + j0, Ldb, Beta, C + j0, Ldc);

    /// <summary>The product restricted to rows [i0, i1) of C: C[i0:i1, :] = op(A)[i0:i1, :] · op(B)
    /// (A stored m×k: a row offset; k×m: a column offset).</summary>
    public GemmProblem Rows(int i0, int i1) =>
        new(TransA, TransB, i1 - i0, N, K, Alpha, TransA ? A + i0 : A + i0 * Lda, Lda, B, Ldb, Beta, C + i0 * Ldc, Ldc);

    /// <summary>Checks the sizes, leading dimensions and the lengths of the spans the pointers came from, then handles
    /// the trivial cases (m or n zero: nothing; k or alpha zero: C = beta * C). Returns true when a product remains.</summary>
    /// <exception cref="ArgumentException">A negative size, a too small leading dimension or a too short span.</exception>
    public bool Prepare(int aLength, int bLength, int cLength)
    {
        if (M < 0 || N < 0 || K < 0)
            throw new ArgumentException($"gemm: sizes must be non-negative, got m={M}, n={N}, k={K}.");
        CheckMatrix("A", TransA, TransA ? K : M, TransA ? M : K, aLength, Lda);
        CheckMatrix("B", TransB, TransB ? N : K, TransB ? K : N, bLength, Ldb);
        CheckMatrix("C", false, M, N, cLength, Ldc);
        if (M == 0 || N == 0) return false;
        if (K == 0 || Alpha == 0)
        {
            for (int i = 0; i < M; i++)
            {
                var row = new Span<float>(C + i * Ldc, N);
                if (Beta == 0) row.Clear();
                else if (Beta != 1) System.Numerics.Tensors.TensorPrimitives.Multiply(row, Beta, row);
            }
            return false;
        }
        return true;
    }

    private void CheckMatrix(string name, bool trans, int rows, int cols, int length, nint ld)
    {
        long needed = rows == 0 || cols == 0 ? 0 : (rows - 1) * (long)ld + cols;
        if (ld >= Math.Max(1, cols) && length >= needed) return;
        string shape = $"gemm (m={M}, n={N}, k={K}): {name}{(trans ? " (transposed)" : "")} stored {rows}×{cols}";
        string ldName = "ld" + name.ToLowerInvariant();
        if (ld < Math.Max(1, cols))
            throw new ArgumentException($"{shape} needs {ldName} ≥ {Math.Max(1, cols)}, got {ld}.");
        throw new ArgumentException($"{shape} with {ldName}={ld} needs {needed} elements, the span has {length}.");
    }
}
