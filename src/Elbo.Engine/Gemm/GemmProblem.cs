namespace Elbo.Engine.Gemm;

/// <summary>The operands of one GEMM call as raw pointers (the caller keeps them pinned):
/// C (m,n) = alpha * op(A) (m,k) * op(B) (k,n) + beta * C, all row-major.</summary>
internal unsafe struct GemmProblem
{
    public float* A, B, C;
    public nint Lda, Ldb, Ldc;
    public bool TransA, TransB;
    public int M, N, K;
    public float Alpha, Beta;

    /// <summary>op(A)[i, p].</summary>
    public readonly float AAt(int i, int p) => TransA ? A[p * Lda + i] : A[i * Lda + p];

    /// <summary>op(B)[p, j].</summary>
    public readonly float BAt(int p, int j) => TransB ? B[j * Ldb + p] : B[p * Ldb + j];
}
