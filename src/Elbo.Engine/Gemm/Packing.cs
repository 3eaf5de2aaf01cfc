using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
                // A stored (m, k): 8×8 register transposes of full panels, then a scalar tail in p.
                int p = 0;
                if (MR == 8 && rows == MR && Avx.IsSupported)
                    for (; p + 8 <= kc; p += 8)
                        Transpose8x8(g.A + (i0 + ir) * g.Lda + p0 + p, g.Lda, d + p * MR, MR);
                // Scalar: read each row contiguously, write with stride MR.
                for (int r = 0; r < rows; r++)
                {
                    float* src = g.A + (i0 + ir + r) * g.Lda + p0;
                    for (int q = p; q < kc; q++) d[q * MR + r] = src[q];
                }
                for (int r = rows; r < MR; r++)
                    for (int q = p; q < kc; q++) d[q * MR + r] = 0;
            }
        }
    }

    /// <summary>Packs op(B)[p0..p0+kc, j0..j0+nr] (nr ≤ NR) as one micro-panel (kc, w) with w = NR, or w = NR/2 when
    /// nr ≤ NR/2 and <paramref name="allowHalf"/> (the half-width kernel's layout):
    /// dst[p*w + j] = op(B)[p0 + p, j0 + j], columns past nr zero.</summary>
    public static void PackBPanel(in GemmProblem g, int p0, int kc, int j0, int nr, float* dst, bool allowHalf)
    {
        int w = allowHalf && nr <= NR / 2 ? NR / 2 : NR;
        if (!g.TransB)
        {
            // B stored (k, n): each p is a contiguous run of columns.
            float* src = g.B + p0 * g.Ldb + j0;
            if (nr == w && Vector512.IsHardwareAccelerated)
            {
                for (int p = 0; p < kc; p++, src += g.Ldb, dst += w)
                    for (int j = 0; j < w; j += 16) Vector512.Load(src + j).Store(dst + j);
                return;
            }
            if (nr == w && Vector256.IsHardwareAccelerated)
            {
                for (int p = 0; p < kc; p++, src += g.Ldb, dst += w)
                    for (int j = 0; j < w; j += 8) Vector256.Load(src + j).Store(dst + j);
                return;
            }
            for (int p = 0; p < kc; p++, src += g.Ldb, dst += w)
            {
                int j = 0;
                for (; j < nr; j++) dst[j] = src[j];
                for (; j < w; j++) dst[j] = 0;
            }
        }
        else
        {
            // B stored (n, k): 8×8 register transposes of full panels, then a scalar tail in p.
            int p = 0;
            if (nr == w && Avx.IsSupported)
            {
                for (; p + 8 <= kc; p += 8)
                    for (int j = 0; j < w; j += 8)
                        Transpose8x8(g.B + (j0 + j) * g.Ldb + p0 + p, g.Ldb, dst + p * w + j, w);
                if (p == kc) return;
            }
            // Scalar: read each column of op(B) contiguously, write with stride w.
            for (int j = 0; j < nr; j++)
            {
                float* src = g.B + (j0 + j) * g.Ldb + p0;
                for (int q = p; q < kc; q++) dst[q * w + j] = src[q];
            }
            for (int j = nr; j < w; j++)
                for (int q = p; q < kc; q++) dst[q * w + j] = 0;
        }
    }

    // dst[q*ldd + r] = src[r*lds + q] for r, q < 8.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint lds, float* dst, nint ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + lds);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * lds), r3 = Avx.LoadVector256(src + 3 * lds);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * lds), r5 = Avx.LoadVector256(src + 5 * lds);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * lds), r7 = Avx.LoadVector256(src + 7 * lds);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * ldd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * ldd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * ldd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * ldd, Avx.Permute2x128(s3, s7, 0x31));
    }
}
