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
/// C = alpha * op(A) * op(B) + beta * C, op(A) is m×k, op(B) is k×n, C is m×n.</summary>
public static class Blas
{
    // Placeholder: naive reference until the BLIS/CBLAS backends land.
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++)
                    s += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * ldc + j] = beta == 0 ? alpha * s : alpha * s + beta * c[i * ldc + j];
            }
    }
}
