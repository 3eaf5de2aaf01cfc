using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Elbo.Engine.Gemm;

/// <summary>The MR×NR micro-kernel of the managed GEMM: C[0..MR, 0..NR] = alpha * Ap·Bp + beta * C, where Ap is a
/// packed A micro-panel and Bp a packed B micro-panel. Vector512 FMA when accelerated, then Vector256, then scalar.</summary>
internal static unsafe class MicroKernel
{
    private const int MR = GemmConfig.MR;
    private const int NR = GemmConfig.NR;

    /// <summary>Runs the micro-kernel.</summary>
    /// <param name="kc">Depth of the panels.</param>
    /// <param name="a">Packed A micro-panel, (kc, MR): a[p*MR + r] = op(A)[r, p].</param>
    /// <param name="b">Packed B micro-panel, (kc, NR): b[p*NR + j] = op(B)[p, j].</param>
    /// <param name="c">C tile (MR, NR) with row stride <paramref name="ldc"/>; not read when beta is 0.</param>
    /// <param name="ldc">Row stride of the C tile.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of C before the product is added (0: C is overwritten).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        if (Vector512.IsHardwareAccelerated) Run512(kc, a, b, c, ldc, alpha, beta);
        else if (Vector256.IsHardwareAccelerated) Run256(kc, a, b, c, ldc, alpha, beta);
        else RunScalar(kc, a, b, NR, c, ldc, alpha, beta);
    }

    /// <summary>The half-width kernel for a last, narrow column panel: as <see cref="Run"/> but C is MR×16 and the
    /// B micro-panel is packed (kc, 16): b[p*16 + j] = op(B)[p, j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunHalf(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        if (Vector512.IsHardwareAccelerated) RunHalf512(kc, a, b, c, ldc, alpha, beta);
        else RunScalar(kc, a, b, NR / 2, c, ldc, alpha, beta);
    }

    // a (kc,MR=8) packed, b (kc,16) packed, c (8,16) row stride ldc: 8 zmm accumulators, 1 zmm for B.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunHalf512(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<float> c4 = default, c5 = default, c6 = default, c7 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7]), b0, c7);
            a += MR;
            b += NR / 2;
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        StoreHalf(c, c0, va, vb, beta);
        StoreHalf(c + ldc, c1, va, vb, beta);
        StoreHalf(c + 2 * ldc, c2, va, vb, beta);
        StoreHalf(c + 3 * ldc, c3, va, vb, beta);
        StoreHalf(c + 4 * ldc, c4, va, vb, beta);
        StoreHalf(c + 5 * ldc, c5, va, vb, beta);
        StoreHalf(c + 6 * ldc, c6, va, vb, beta);
        StoreHalf(c + 7 * ldc, c7, va, vb, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreHalf(float* c, Vector512<float> x, Vector512<float> va, Vector512<float> vb, float beta)
    {
        if (beta == 0) (x * va).Store(c);
        else Vector512.FusedMultiplyAdd(vb, Vector512.Load(c), x * va).Store(c);
    }

    // a (kc,MR=8) packed, b (kc,NR=32) packed, c (8,32) row stride ldc: 16 zmm accumulators, 2 zmm for B, 1 broadcast
    // (embedded in the FMA's broadcast load). Unrolled for MR = 8: keep in sync with GemmConfig.MR.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run512(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
            a += MR;
            b += NR;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Store0(c + 0 * ldc, c00, c01, va);
            Store0(c + 1 * ldc, c10, c11, va);
            Store0(c + 2 * ldc, c20, c21, va);
            Store0(c + 3 * ldc, c30, c31, va);
            Store0(c + 4 * ldc, c40, c41, va);
            Store0(c + 5 * ldc, c50, c51, va);
            Store0(c + 6 * ldc, c60, c61, va);
            Store0(c + 7 * ldc, c70, c71, va);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Store(c + 0 * ldc, c00, c01, va, vb);
            Store(c + 1 * ldc, c10, c11, va, vb);
            Store(c + 2 * ldc, c20, c21, va, vb);
            Store(c + 3 * ldc, c30, c31, va, vb);
            Store(c + 4 * ldc, c40, c41, va, vb);
            Store(c + 5 * ldc, c50, c51, va, vb);
            Store(c + 6 * ldc, c60, c61, va, vb);
            Store(c + 7 * ldc, c70, c71, va, vb);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store0(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> va)
    {
        (x0 * va).Store(c);
        (x1 * va).Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> va, Vector512<float> vb)
    {
        Vector512.FusedMultiplyAdd(vb, Vector512.Load(c), x0 * va).Store(c);
        Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 16), x1 * va).Store(c + 16);
    }

    // a (kc,MR=8) packed, b (kc,NR=32) packed, c (8,32) row stride ldc, with the 16 ymm registers of AVX2: three
    // passes over kc, rows 0-5 × columns 0-15, rows 0-5 × columns 16-31 (12 accumulators, 2 B vectors, 1 broadcast:
    // the 6×16 shape of BLIS's Haswell kernel, whose 12 independent FMA chains hide the FMA latency), then rows 6-7 ×
    // all 32 columns (8 accumulators). The B panel is read twice from L1; the earlier two-rows-at-a-time kernel read
    // it four times and ran only 8 chains everywhere. Unrolled for MR = 8 and NR = 32: keep in sync with GemmConfig.
    private static void Run256(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Run256Rows6(kc, a, b, c, ldc, alpha, beta);
        Run256Rows6(kc, a, b + 16, c + 16, ldc, alpha, beta);
        Run256Rows2(kc, a + 6, b, c + 6 * ldc, ldc, alpha, beta);
    }

    // Rows 0-5 of the tile × the 16 columns that start at b (a row of the B panel is NR floats apart).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run256Rows6(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            Vector256<float> a1 = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            Vector256<float> a2 = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            Vector256<float> a3 = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            Vector256<float> a4 = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
            Vector256<float> a5 = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
            a += MR;
            b += NR;
        }
        Vector256<float> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        Store256(c, c00, c01, va, vb, beta);
        Store256(c + ldc, c10, c11, va, vb, beta);
        Store256(c + 2 * ldc, c20, c21, va, vb, beta);
        Store256(c + 3 * ldc, c30, c31, va, vb, beta);
        Store256(c + 4 * ldc, c40, c41, va, vb, beta);
        Store256(c + 5 * ldc, c50, c51, va, vb, beta);
    }

    // Two rows of the tile (a points at the first one's packed values) × all NR = 32 columns.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run256Rows2(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> b2 = Vector256.Load(b + 16), b3 = Vector256.Load(b + 24);
            Vector256<float> a0 = Vector256.Create(a[0]), a1 = Vector256.Create(a[1]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            c02 = Vector256.FusedMultiplyAdd(a0, b2, c02);
            c03 = Vector256.FusedMultiplyAdd(a0, b3, c03);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            c12 = Vector256.FusedMultiplyAdd(a1, b2, c12);
            c13 = Vector256.FusedMultiplyAdd(a1, b3, c13);
            a += MR;
            b += NR;
        }
        Vector256<float> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        Store256(c, c00, c01, va, vb, beta);
        Store256(c + 16, c02, c03, va, vb, beta);
        Store256(c + ldc, c10, c11, va, vb, beta);
        Store256(c + ldc + 16, c12, c13, va, vb, beta);
    }

    // Stores 16 floats of a C row: alpha·x, plus beta·C when beta is not 0 (C is not read when it is).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* c, Vector256<float> x0, Vector256<float> x1, Vector256<float> va,
        Vector256<float> vb, float beta)
    {
        if (beta == 0)
        {
            (x0 * va).Store(c);
            (x1 * va).Store(c + 8);
        }
        else
        {
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c), x0 * va).Store(c);
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 8), x1 * va).Store(c + 8);
        }
    }

    // a (kc,MR) packed, b (kc,nr) packed, c (MR,nr) row stride ldc: plain loops over a local tile.
    private static void RunScalar(int kc, float* a, float* b, int nr, float* c, nint ldc, float alpha, float beta)
    {
        float* acc = stackalloc float[MR * NR];
        new Span<float>(acc, MR * NR).Clear();
        for (int p = 0; p < kc; p++)
            for (int r = 0; r < MR; r++)
            {
                float x = a[p * MR + r];
                for (int j = 0; j < nr; j++) acc[r * NR + j] += x * b[p * nr + j];
            }
        for (int r = 0; r < MR; r++)
            for (int j = 0; j < nr; j++)
            {
                float v = alpha * acc[r * NR + j];
                c[r * ldc + j] = beta == 0 ? v : v + beta * c[r * ldc + j];
            }
    }
}
