using Elbo.Engine.Gemm;
using Elbo.Engine.Threading;
using Xunit.Abstractions;

namespace Elbo.Engine.Tests.Gemm;

// Tests touch process-wide settings (Blas.Backend, thread counts): keep them in one non-parallel collection.
[Collection("GlobalSettings")]
public class GemmTests(ITestOutputHelper output)
{
    public enum Impl { Managed, OpenBlas, BlasManaged, BlasOpenBlas }

    private delegate void SgemmFn(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc);

    // Runs one product with the chosen implementation; false when OpenBLAS is wanted but cannot load.
    private bool TryGet(Impl impl, out SgemmFn fn)
    {
        fn = ManagedGemm.Sgemm;
        if (impl is Impl.OpenBlas or Impl.BlasOpenBlas && !Blas.OpenBlasAvailable)
        {
            output.WriteLine("OpenBLAS could not be loaded: skipping the OpenBLAS case.");
            return false;
        }
        switch (impl)
        {
            case Impl.Managed: fn = ManagedGemm.Sgemm; break;
            case Impl.OpenBlas: fn = CblasGemm.Sgemm; break;
            case Impl.BlasManaged: Blas.Backend = GemmBackend.Managed; fn = Blas.Sgemm; break;
            case Impl.BlasOpenBlas: Blas.Backend = GemmBackend.OpenBlas; fn = Blas.Sgemm; break;
        }
        return true;
    }

    private static float[] Random(int length, int seed)
    {
        var rng = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    // Compares impl against NaiveGemm on one problem; padding adds to the minimum leading dimensions.
    private void Check(Impl impl, bool transA, bool transB, int m, int n, int k, float alpha, float beta,
        int pad = 0, int threads = 2)
    {
        if (!TryGet(impl, out SgemmFn fn)) return;
        int lda = Math.Max(1, transA ? m : k) + pad, ldb = Math.Max(1, transB ? k : n) + pad, ldc = Math.Max(1, n) + pad;
        int aRows = transA ? k : m, bRows = transB ? n : k;
        float[] a = Random(aRows * lda, 1 + m), b = Random(bRows * ldb, 2 + n), c0 = Random(m * ldc, 3 + k);
        if (beta == 0) Array.Fill(c0, float.NaN); // BLAS ignores C when beta is 0
        float[] expected = (float[])c0.Clone(), actual = (float[])c0.Clone();
        NaiveGemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
        int saved = ParallelRunner.Threads;
        Blas.SetThreads(threads);
        try { fn(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, actual, ldc); }
        finally { Blas.SetThreads(saved); }
        float tol = 1e-5f * (k + 4) * (Math.Abs(alpha) + 1) + 1e-5f;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc; j++)
            {
                int at = i * ldc + j;
                if (j >= n)
                {
                    // Padding between rows of C must be left untouched.
                    Assert.True(BitConverter.SingleToInt32Bits(c0[at]) == BitConverter.SingleToInt32Bits(actual[at]),
                        $"{impl}: padding C[{i},{j}] changed");
                    continue;
                }
                float e = expected[at], x = actual[at];
                Assert.True(Math.Abs(e - x) <= tol * (1 + Math.Abs(e)),
                    $"{impl} transA={transA} transB={transB} m={m} n={n} k={k} alpha={alpha} beta={beta} pad={pad} " +
                    $"threads={threads}: C[{i},{j}] = {x}, expected {e}");
            }
    }

    public static TheoryData<Impl> AllImpls => new() { Impl.Managed, Impl.OpenBlas, Impl.BlasManaged, Impl.BlasOpenBlas };

    public static IEnumerable<object[]> OddShapes()
    {
        int[][] shapes =
        [
            [1, 1, 1], [1, 50, 9], [50, 1, 9], [3, 33, 70], [4, 16, 3], [8, 16, 8], [16, 48, 16], [9, 17, 2],
            [7, 13, 17], [13, 31, 5], [14, 32, 8], [15, 33, 9],
            [31, 37, 41], [29, 65, 300], [97, 101, 103], [200, 70, 530], [170, 300, 40],
        ];
        foreach (Impl impl in new[] { Impl.Managed, Impl.OpenBlas })
            foreach (int[] s in shapes)
                foreach (bool ta in new[] { false, true })
                    foreach (bool tb in new[] { false, true })
                        yield return [impl, ta, tb, s[0], s[1], s[2]];
    }

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void MatchesNaiveOnOddShapesAndTransposes(Impl impl, bool transA, bool transB, int m, int n, int k)
    {
        Check(impl, transA, transB, m, n, k, alpha: 1, beta: 0);
        Check(impl, transA, transB, m, n, k, alpha: -0.75f, beta: 1, pad: 3);
        Check(impl, transA, transB, m, n, k, alpha: 1.5f, beta: 0.5f, threads: 1);
    }

    [Theory]
    [MemberData(nameof(AllImpls))]
    public void ZeroSizesScaleOrLeaveC(Impl impl)
    {
        Check(impl, false, false, 5, 7, 0, alpha: 1, beta: 0);      // k = 0, beta = 0: C = 0
        Check(impl, true, false, 5, 7, 0, alpha: 2, beta: 0.5f);    // k = 0: C = beta * C
        Check(impl, false, true, 0, 7, 3, alpha: 1, beta: 1);       // m = 0: nothing
        Check(impl, false, false, 4, 0, 3, alpha: 1, beta: 1);      // n = 0: nothing
        Check(impl, false, false, 9, 40, 20, alpha: 0, beta: 2);    // alpha = 0: C = beta * C
    }

    // The VAE's Linear layers (784-400-20): forward x·Wᵀ, input gradient dY·W, weight gradient dYᵀ·X.
    public static IEnumerable<object[]> VaeShapes()
    {
        foreach (Impl impl in new[] { Impl.BlasManaged, Impl.BlasOpenBlas })
        {
            yield return [impl, false, true, 128, 400, 784];
            yield return [impl, false, false, 128, 784, 400];
            yield return [impl, true, false, 784, 400, 128];
            yield return [impl, true, false, 400, 784, 128];
            yield return [impl, false, true, 128, 40, 400];
        }
    }

    [Theory]
    [MemberData(nameof(VaeShapes))]
    public void MatchesNaiveOnVaeShapes(Impl impl, bool transA, bool transB, int m, int n, int k)
    {
        Check(impl, transA, transB, m, n, k, alpha: 1, beta: 0, threads: 2);
        Check(impl, transA, transB, m, n, k, alpha: 1, beta: 1, threads: 1);
    }

    [Fact]
    public void ManagedMatchesNaiveAcrossBlockBoundaries()
    {
        // Larger than MC, KC and NC with every dimension off the block multiples.
        int mc = GemmConfig.MC, kc = GemmConfig.KC, nc = GemmConfig.NC;
        long packedB = GemmConfig.PackedBMaxFloats;
        try
        {
            GemmConfig.MC = 2 * GemmConfig.MR;
            GemmConfig.KC = 24;
            GemmConfig.NC = 2 * GemmConfig.NR;
            Check(Impl.Managed, false, false, 61, 150, 77, alpha: 1, beta: 0.25f, pad: 2);
            Check(Impl.Managed, true, true, 61, 150, 77, alpha: -1, beta: 0, threads: 1);
            Check(Impl.Managed, true, false, 45, 71, 49, alpha: 1, beta: 1, threads: 2);
            GemmConfig.NC = 4096;
            GemmConfig.PackedBMaxFloats = 100 * 77; // column blocks narrowed to 96 by the packed-B budget
            Check(Impl.Managed, false, true, 61, 250, 77, alpha: 1, beta: 0.5f, threads: 2);
        }
        finally
        {
            GemmConfig.PackedBMaxFloats = packedB;
            GemmConfig.MC = mc;
            GemmConfig.KC = kc;
            GemmConfig.NC = nc;
        }
    }

    [Fact]
    public void ManagedDoesNotAllocateInSteadyState()
    {
        float[] a = Random(128 * 784, 1), b = Random(400 * 784, 2), c = new float[128 * 400];
        for (int i = 0; i < 50; i++) ManagedGemm.Sgemm(false, true, 128, 400, 784, 1, a, 784, b, 784, 0, c, 400);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++) ManagedGemm.Sgemm(false, true, 128, 400, 784, 1, a, 784, b, 784, 0, c, 400);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [MemberData(nameof(AllImpls))]
    public void BadArgumentsThrowArgumentExceptionNamingGemm(Impl impl)
    {
        if (!TryGet(impl, out SgemmFn fn)) return;
        float[] a = new float[12], b = new float[12], c = new float[9];
        void Throws(Action call) => Assert.Contains("gemm", Assert.ThrowsAny<ArgumentException>(call).Message);
        Throws(() => fn(false, false, -1, 3, 4, 1, a, 4, b, 3, 0, c, 3));  // negative m
        Throws(() => fn(false, false, 3, 3, 4, 1, a, 3, b, 3, 0, c, 3));   // lda < k
        Throws(() => fn(true, false, 3, 3, 4, 1, a, 2, b, 3, 0, c, 3));    // lda < m (transposed)
        Throws(() => fn(false, true, 3, 3, 4, 1, a, 4, b, 3, 0, c, 3));    // ldb < k (transposed)
        Throws(() => fn(false, false, 3, 3, 4, 1, a, 4, b, 3, 0, c, 2));   // ldc < n
        Throws(() => fn(false, false, 3, 3, 5, 1, a, 5, b, 3, 0, c, 3));   // A too short
        Throws(() => fn(false, false, 4, 3, 4, 1, a, 4, b, 3, 0, c, 3));   // C too short
    }

    [Theory]
    [InlineData(null, GemmBackend.Auto)]
    [InlineData("", GemmBackend.Auto)]
    [InlineData("auto", GemmBackend.Auto)]
    [InlineData("OpenBLAS", GemmBackend.OpenBlas)]
    [InlineData(" managed ", GemmBackend.Managed)]
    public void ElboGemmValuesParse(string? value, GemmBackend expected) => Assert.Equal(expected, Blas.ParseBackend(value));

    [Fact]
    public void UnknownElboGemmValueThrowsInvalidOperation() =>
        Assert.Contains("ELBO_GEMM", Assert.Throws<InvalidOperationException>(() => Blas.ParseBackend("mkl")).Message);

    [Fact]
    public void BackendIsResolvedAndNeverAuto()
    {
        GemmBackend saved = Blas.Backend;
        try
        {
            Blas.Backend = GemmBackend.Auto;
            Assert.Equal(Blas.OpenBlasAvailable ? GemmBackend.OpenBlas : GemmBackend.Managed, Blas.Backend);
            Blas.Backend = GemmBackend.Managed;
            Assert.Equal(GemmBackend.Managed, Blas.Backend);
            if (Blas.OpenBlasAvailable)
            {
                Blas.Backend = GemmBackend.OpenBlas;
                Assert.Equal(GemmBackend.OpenBlas, Blas.Backend);
            }
            else
            {
                Assert.Throws<InvalidOperationException>(() => Blas.Backend = GemmBackend.OpenBlas);
            }
        }
        finally { Blas.Backend = saved; }
    }

    [Fact]
    public void ProductsOfFewRowsRunOnTheirOwnBackendAndSettingTheBackendMakesItFollowAgain()
    {
        if (!Blas.OpenBlasAvailable)
        {
            output.WriteLine("OpenBLAS could not be loaded: skipping.");
            return;
        }
        GemmBackend saved = Blas.Backend;
        try
        {
            // C = A·Bᵀ as a Linear layer at batch m; each backend's own bits, to tell which one ran
            (float[] Managed, float[] OpenBlas, float[] Blas) Run(int m)
            {
                int n = 96, k = 400;
                var a = Random(m * k, 21);
                var b = Random(n * k, 22);
                var managed = new float[m * n];
                var openBlas = new float[m * n];
                var c = new float[m * n];
                ManagedGemm.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 0f, managed, n);
                CblasGemm.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 0f, openBlas, n);
                Blas.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 0f, c, n);
                Assert.NotEqual(managed, openBlas);        // else this test could not tell them apart
                return (managed, openBlas, c);
            }
            Blas.Backend = GemmBackend.OpenBlas;
            Assert.Equal(GemmBackend.OpenBlas, Blas.FewRowsBackend);           // follows until set
            Blas.FewRowsBackend = GemmBackend.Managed;
            foreach (int m in new[] { 1, GemmConfig.DirectMaxRows })
            {
                var (managed, _, c) = Run(m);
                Assert.Equal(managed, c);
            }
            var (_, openBlas8, c8) = Run(GemmConfig.DirectMaxRows + 1);        // more rows: the main backend
            Assert.Equal(openBlas8, c8);
            Blas.Backend = GemmBackend.OpenBlas;                               // follows again
            Assert.Equal(GemmBackend.OpenBlas, Blas.FewRowsBackend);
            var (_, openBlas1, c1) = Run(1);
            Assert.Equal(openBlas1, c1);
        }
        finally { Blas.Backend = saved; }
    }

    [Theory]
    [InlineData(false, false, 64, 400, 128)]   // split by columns, n a multiple of 16
    [InlineData(false, true, 37, 301, 97)]     // columns, ragged last block, B transposed
    [InlineData(true, false, 400, 33, 128)]    // split by rows (m > n), A transposed
    [InlineData(true, true, 259, 50, 61)]      // rows, both transposed
    public void OpenBlasProductsSplitOverThreadsMatchTheReference(bool transA, bool transB, int m, int n, int k)
    {
        if (!Blas.OpenBlasAvailable)
        {
            output.WriteLine("OpenBLAS could not be loaded: skipping.");
            return;
        }
        Assert.True((long)m * n * k >= Blas.SplitThreshold);
        GemmBackend savedBackend = Blas.Backend;
        int savedThreads = Elbo.Engine.Threading.ParallelRunner.Threads;
        try
        {
            Blas.Backend = GemmBackend.OpenBlas;
            var a = Random(m * k, 11);
            var b = Random(k * n, 12);
            var c0 = Random(m * n, 13);
            var expected = (float[])c0.Clone();
            NaiveGemm.Sgemm(transA, transB, m, n, k, 0.5f, a, transA ? m : k, b, transB ? k : n, 2f, expected, n);
            foreach (int threads in new[] { 1, 2, 3 })
            {
                Blas.SetThreads(threads);
                var c = (float[])c0.Clone();
                Blas.Sgemm(transA, transB, m, n, k, 0.5f, a, transA ? m : k, b, transB ? k : n, 2f, c, n);
                for (int i = 0; i < c.Length; i++)
                    Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"threads {threads}, element {i}: {c[i]} vs {expected[i]}");
            }
            Assert.Equal(1, CblasGemm.Threads ?? 1); // OpenBLAS itself stays single-threaded
        }
        finally
        {
            Blas.Backend = savedBackend;
            Blas.SetThreads(savedThreads);
        }
    }

    // Holds the pool: a loop whose two items wait until released, run from another thread.
    private struct HoldingBody : IParallelBody
    {
        public CountdownEvent Started;
        public ManualResetEventSlim Release;
        public readonly void Invoke(int index)
        {
            Started.Signal();
            Release.Wait();
        }
    }

    [Theory]
    [InlineData(GemmBackend.Managed)]
    [InlineData(GemmBackend.OpenBlas)]
    public void AProductHasTheSameBitsWhileAnotherThreadsLoopHoldsThePool(GemmBackend backend)
    {
        // elbo serve runs model calls on several threads: a call whose GEMM finds the pool taken must split it as it
        // would alone (the pieces then run one after another), not compute it another way with other rounding.
        if (backend == GemmBackend.OpenBlas && !Blas.OpenBlasAvailable) { output.WriteLine("OpenBLAS could not be loaded"); return; }
        GemmBackend savedBackend = Blas.Backend;
        int savedThreads = ParallelRunner.Threads;
        try
        {
            Blas.Backend = backend;
            Blas.SetThreads(2);
            const int m = 128, n = 333, k = 257;
            float[] a = Random(m * k, 1), b = Random(k * n, 2), alone = new float[m * n], held = new float[m * n];
            Blas.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, alone, n);
            Assert.False(ParallelRunner.InLoop);

            using var started = new CountdownEvent(2);
            using var release = new ManualResetEventSlim();
            var holder = Task.Factory.StartNew(() =>
            {
                var body = new HoldingBody { Started = started, Release = release };
                ParallelRunner.For(2, ref body);
            }, TaskCreationOptions.LongRunning);
            try
            {
                Assert.True(started.Wait(TimeSpan.FromSeconds(20)), "the holding loop did not start");
                Assert.True(ParallelRunner.IsBusy);
                Assert.False(ParallelRunner.InLoop);      // busy, but not here
                Blas.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, held, n);
            }
            finally
            {
                release.Set();
                holder.Wait(TimeSpan.FromSeconds(20));
            }
            for (int i = 0; i < alone.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(alone[i]) == BitConverter.SingleToInt32Bits(held[i]),
                    $"{backend}: C[{i / n},{i % n}] = {held[i]} with the pool held, {alone[i]} alone");
        }
        finally
        {
            Blas.Backend = savedBackend;
            Blas.SetThreads(savedThreads);
        }
    }
}
