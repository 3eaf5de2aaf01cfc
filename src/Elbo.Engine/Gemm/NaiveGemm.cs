namespace Elbo.Engine.Gemm;

/// <summary>The naive triple-loop GEMM (row-major, double accumulation): the test oracle for the fast backends.
/// C = alpha * op(A) * op(B) + beta * C, op(A) m×k, op(B) k×n, C m×n. Arguments are not validated.</summary>
public static class NaiveGemm
{
    /// <summary>Computes C = alpha * op(A) * op(B) + beta * C with the same conventions as <see cref="Blas.Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>.
    /// When <paramref name="beta"/> is 0, C is only written (NaNs in C are ignored), as in BLAS.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        // a: (m,k) or stored (k,m) when transA; b: (k,n) or stored (n,k) when transB; c: (m,n).
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    float x = transA ? a[p * lda + i] : a[i * lda + p];
                    float y = transB ? b[j * ldb + p] : b[p * ldb + j];
                    s += (double)x * y;
                }
                double r = alpha * s;
                if (beta != 0) r += (double)beta * c[i * ldc + j];
                c[i * ldc + j] = (float)r;
            }
    }
}
