using System.Runtime.Intrinsics;

namespace Elbo.Engine.Gemm;

/// <summary>Packs blocks of op(A) and op(B) into the zero-padded micro-panel layouts the micro-kernel reads.</summary>
internal static unsafe class Packing
{
    private const int MR = GemmConfig.MR;
    private const int NR = GemmConfig.NR;

    /// <summary>Packs op(A)[i0..i0+mc, p0..p0+kc] as ceil(mc/MR) micro-panels of (kc, MR); panel q starts at
    /// dst + q*MR*kc and holds dst[p*MR + r] = op(A)[i0 + q*MR + r, p0 + p], rows past mc zero.</summary>
    public static void PackA(in GemmProblem g, int i0, int mc, int p0, int kc, float* dst)
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            int rows = Math.Min(MR, mc - ir);
            float* d = dst + (nint)ir * kc;
            if (g.TransA)
            {
                // A stored (k, m): each p is a contiguous run of rows.
                float* src = g.A + p0 * g.Lda + i0 + ir;
                for (int p = 0; p < kc; p++, src += g.Lda, d += MR)
                {
                    int r = 0;
                    for (; r < rows; r++) d[r] = src[r];
                    for (; r < MR; r++) d[r] = 0;
                }
            }
            else
            {
                // A stored (m, k): read each row contiguously, write with stride MR.
                for (int r = 0; r < rows; r++)
                {
                    float* src = g.A + (i0 + ir + r) * g.Lda + p0;
                    float* dr = d + r;
                    for (int p = 0; p < kc; p++) dr[p * MR] = src[p];
                }
                for (int r = rows; r < MR; r++)
                    for (int p = 0; p < kc; p++) d[p * MR + r] = 0;
            }
        }
    }

    /// <summary>Packs op(B)[p0..p0+kc, j0..j0+nr] (nr ≤ NR) as one micro-panel (kc, NR):
    /// dst[p*NR + j] = op(B)[p0 + p, j0 + j], columns past nr zero.</summary>
    public static void PackBPanel(in GemmProblem g, int p0, int kc, int j0, int nr, float* dst)
    {
        if (!g.TransB)
        {
            // B stored (k, n): each p is a contiguous run of columns.
            float* src = g.B + p0 * g.Ldb + j0;
            if (nr == NR && Vector512.IsHardwareAccelerated)
            {
                for (int p = 0; p < kc; p++, src += g.Ldb, dst += NR)
                {
                    Vector512.Load(src).Store(dst);
                    Vector512.Load(src + 16).Store(dst + 16);
                }
                return;
            }
            for (int p = 0; p < kc; p++, src += g.Ldb, dst += NR)
            {
                int j = 0;
                for (; j < nr; j++) dst[j] = src[j];
                for (; j < NR; j++) dst[j] = 0;
            }
        }
        else
        {
            // B stored (n, k): read each column of op(B) contiguously, write with stride NR.
            for (int j = 0; j < nr; j++)
            {
                float* src = g.B + (j0 + j) * g.Ldb + p0;
                float* d = dst + j;
                for (int p = 0; p < kc; p++) d[p * NR] = src[p];
            }
            for (int j = nr; j < NR; j++)
                for (int p = 0; p < kc; p++) dst[p * NR + j] = 0;
        }
    }
}
