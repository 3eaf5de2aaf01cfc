using System.Runtime.Intrinsics;
using Elbo.Engine.Threading;

namespace Elbo.Engine.Gemm;

/// <summary>Elbo's own GEMM in the BLIS design: op(B) is packed into zero-padded NR-column micro-panels (shared by
/// all threads), each thread packs its MC×KC blocks of op(A) into MR-row micro-panels, and one MR×NR micro-kernel
/// (<see cref="MicroKernel"/>) computes every tile. Threads split the IC loop (rows of C) or, for few rows, the JR
/// loop (columns of C); the KC loop is never split. Blocking parameters live in <see cref="GemmConfig"/>.</summary>
public static unsafe class ManagedGemm
{
    private const int MR = GemmConfig.MR;
    private const int NR = GemmConfig.NR;

    // A last column panel at most NR/2 wide is packed (kc, NR/2) and run by the half-width kernel.
    private static bool HalfKernel => Vector512.IsHardwareAccelerated;

    /// <summary>C = alpha * op(A) * op(B) + beta * C (row-major), with the conventions and argument checks of
    /// <see cref="Blas.Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>, always on the managed backend.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Blas.Sgemm(GemmBackend.Managed, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>Runs a validated, non-trivial problem (m, n, k ≥ 1).</summary>
    internal static void Compute(in GemmProblem g)
    {
        long macs = (long)g.M * g.N * g.K;
        if (g.M <= GemmConfig.DirectMaxRows)
        {
            DirectGemm.Run(g);
            return;
        }
        int threads = macs < GemmConfig.ParallelMinMultiplyAdds ? 1 : ParallelRunner.Threads;
        int kBlocks = (g.K + GemmConfig.KC - 1) / GemmConfig.KC;
        int kcb = (g.K + kBlocks - 1) / kBlocks; // balanced KC blocks
        // All KC blocks of a column block are packed at once (one parallel packing pass per column block), so narrow
        // the column block when k is large to keep the packed B within PackedBMaxFloats.
        int ncMax = Math.Min(GemmConfig.NC, Math.Max(NR, (int)(GemmConfig.PackedBMaxFloats / g.K) / NR * NR));
        GemmWorkspace ws = GemmWorkspace.Current;
        for (int jc = 0; jc < g.N; jc += ncMax)
        {
            int nc = Math.Min(ncMax, g.N - jc);
            int ncPad = GemmConfig.RoundUp(nc, NR);
            int panels = ncPad / NR;
            float* bp = ws.PackedB((long)g.K * ncPad);

            var pack = new PackBBody { G = g, J0 = jc, Nc = nc, NcPad = ncPad, Kcb = kcb, Bp = bp };
            if (threads == 1) for (int q = 0; q < panels; q++) pack.Invoke(q);
            else ParallelRunner.For(panels, ref pack);

            var body = new MacroBody { G = g, Jc = jc, Nc = nc, NcPad = ncPad, Kcb = kcb, Bp = bp };
            ChoosePartition(g.M, panels, threads, ref body);
            if (body.Items == 1) body.Invoke(0);
            else ParallelRunner.For(body.Items, ref body);
        }
    }

    // Split rows (IC loop) unless few rows make a column split (JR loop) cheaper; cost = padded tile area per
    // thread, plus the repacking of A that a column split makes every thread do (~32 multiply-adds per element).
    private static void ChoosePartition(int m, int panels, int threads, ref MacroBody body)
    {
        int rowsPerItem = (m + threads - 1) / threads;
        long costRows = (long)GemmConfig.RoundUp(rowsPerItem, MR) * (panels * NR + 32);
        int panelsPerItem = (panels + threads - 1) / threads;
        long costCols = (long)GemmConfig.RoundUp(m, MR) * panelsPerItem * NR + 32L * m;
        if (threads == 1 || costRows <= costCols)
        {
            body.SplitRows = true;
            body.Items = Math.Min(threads, m);
        }
        else
        {
            body.SplitRows = false;
            body.PanelsPerItem = panelsPerItem;
            body.Items = (panels + panelsPerItem - 1) / panelsPerItem;
        }
    }

    // Packs one NR-column micro-panel of the B block (all KC blocks of it).
    private struct PackBBody : IParallelBody
    {
        public GemmProblem G;
        public int J0, Nc, NcPad, Kcb;
        public float* Bp;

        public readonly void Invoke(int index)
        {
            int jr = index * NR;
            int nr = Math.Min(NR, Nc - jr);
            for (int p0 = 0; p0 < G.K; p0 += Kcb)
            {
                int kc = Math.Min(Kcb, G.K - p0);
                Packing.PackBPanel(G, p0, kc, J0 + jr, nr, Bp + (nint)p0 * NcPad + (nint)jr * kc, HalfKernel);
            }
        }
    }

    // Computes one thread's share of C for the current column block: a range of rows or of B micro-panels.
    private struct MacroBody : IParallelBody
    {
        public GemmProblem G;
        public int Jc, Nc, NcPad, Kcb;
        public float* Bp;
        public bool SplitRows;
        public int Items, PanelsPerItem;

        public readonly void Invoke(int index)
        {
            int panels = NcPad / NR;
            if (SplitRows)
            {
                int i0 = (int)((long)G.M * index / Items), i1 = (int)((long)G.M * (index + 1) / Items);
                Macro(G, i0, i1, Jc, 0, panels, Nc, NcPad, Kcb, Bp);
            }
            else
            {
                int q0 = index * PanelsPerItem, q1 = Math.Min(panels, q0 + PanelsPerItem);
                Macro(G, 0, G.M, Jc, q0, q1, Nc, NcPad, Kcb, Bp);
            }
        }
    }

    // Rows [i0,i1) × micro-panels [q0,q1) of the column block starting at column jc (nc wide, packed in bp).
    // Loops: pc (KC) → ic (MC, pack A) → jr (NR, B micro-panel stays in L1) → ir (MR) → micro-kernel.
    private static void Macro(in GemmProblem g, int i0, int i1, int jc, int q0, int q1, int nc, int ncPad, int kcb,
        float* bp)
    {
        int mcMax = GemmConfig.MC;
        float* ap = GemmWorkspace.Current.PackedA((long)mcMax * kcb);
        float* tile = stackalloc float[MR * NR];
        nint ldc = g.Ldc;
        for (int p0 = 0; p0 < g.K; p0 += kcb)
        {
            int kc = Math.Min(kcb, g.K - p0);
            float beta = p0 == 0 ? g.Beta : 1f;
            float* bBlock = bp + (nint)p0 * ncPad;
            for (int ic = i0; ic < i1; ic += mcMax)
            {
                int mc = Math.Min(mcMax, i1 - ic);
                Packing.PackA(g, ic, mc, p0, kc, ap);
                for (int q = q0; q < q1; q++)
                {
                    int jr = q * NR;
                    int nr = Math.Min(NR, nc - jr);
                    float* bPanel = bBlock + (nint)jr * kc;
                    float* cCol = g.C + jc + jr;
                    for (int ir = 0; ir < mc; ir += MR)
                    {
                        int rows = Math.Min(MR, mc - ir);
                        float* aPanel = ap + (nint)ir * kc;
                        float* cTile = cCol + (ic + ir) * ldc;
                        bool half = HalfKernel && nr <= NR / 2;
                        if (rows == MR && nr == (half ? NR / 2 : NR))
                        {
                            if (half) MicroKernel.RunHalf(kc, aPanel, bPanel, cTile, ldc, g.Alpha, beta);
                            else MicroKernel.Run(kc, aPanel, bPanel, cTile, ldc, g.Alpha, beta);
                        }
                        else
                        {
                            // Edge tile: compute the full MR×NR (or MR×NR/2) tile locally, copy the valid rows×nr part.
                            if (half) MicroKernel.RunHalf(kc, aPanel, bPanel, tile, NR, 1f, 0f);
                            else MicroKernel.Run(kc, aPanel, bPanel, tile, NR, 1f, 0f);
                            for (int r = 0; r < rows; r++)
                            {
                                float* src = tile + r * NR;
                                float* dst = cTile + r * ldc;
                                if (beta == 0)
                                    for (int j = 0; j < nr; j++) dst[j] = g.Alpha * src[j];
                                else
                                    for (int j = 0; j < nr; j++) dst[j] = g.Alpha * src[j] + beta * dst[j];
                            }
                        }
                    }
                }
            }
        }
    }
}
