using System.Numerics.Tensors;

namespace Elbo.Engine.Gemm;

/// <summary>The unpacked path of the managed GEMM for very few rows (m ≤ <see cref="GemmConfig.DirectMaxRows"/>, e.g. a
/// vector-matrix product), where packing into MR-row panels would waste most of the work.</summary>
internal static unsafe class DirectGemm
{
    /// <summary>C (m,n) = alpha * op(A) (m,k) * op(B) (k,n) + beta * C, row by row.</summary>
    public static void Run(in GemmProblem g)
    {
        int n = g.N, k = g.K;
        float* column = g.TransA && g.TransB ? GemmWorkspace.Current.PackedA(k) : null;
        for (int i = 0; i < g.M; i++)
        {
            var cRow = new Span<float>(g.C + i * g.Ldc, n);
            if (!g.TransB)
            {
                // C[i,:] = beta*C[i,:] + sum_p (alpha*op(A)[i,p]) * B[p,:]: contiguous axpys over rows of B.
                if (g.Beta == 0) cRow.Clear();
                else if (g.Beta != 1) TensorPrimitives.Multiply(cRow, g.Beta, cRow);
                for (int p = 0; p < k; p++)
                {
                    var bRow = new ReadOnlySpan<float>(g.B + p * g.Ldb, n);
                    TensorPrimitives.MultiplyAdd(bRow, g.Alpha * g.AAt(i, p), cRow, cRow);
                }
            }
            else
            {
                // C[i,j] = alpha * dot(op(A)[i,:], B[j,:]) + beta*C[i,j]: B stored (n,k), rows contiguous.
                ReadOnlySpan<float> aRow;
                if (g.TransA)
                {
                    for (int p = 0; p < k; p++) column[p] = g.A[p * g.Lda + i];
                    aRow = new ReadOnlySpan<float>(column, k);
                }
                else aRow = new ReadOnlySpan<float>(g.A + i * g.Lda, k);
                for (int j = 0; j < n; j++)
                {
                    float s = g.Alpha * TensorPrimitives.Dot(aRow, new ReadOnlySpan<float>(g.B + j * g.Ldb, k));
                    cRow[j] = g.Beta == 0 ? s : s + g.Beta * cRow[j];
                }
            }
        }
    }
}
