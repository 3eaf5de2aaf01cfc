using System.Diagnostics;
using Elbo.Engine.Gemm;

namespace Elbo.Bench;

/// <summary>The <c>gemm</c> command: GFLOPS of the managed and OpenBLAS backends on the VAE's GEMM shapes, for 1 and
/// 2 threads, and the managed/OpenBLAS ratio. Options: <c>--threads 1,2</c>, <c>--seconds 0.5</c>,
/// <c>--backends managed,openblas</c>, <c>--stat median|min</c> (min: fastest rep, steadier for tuning on a noisy machine),
/// <c>--mc N --kc N --nc N</c> (managed blocking), <c>--only PREFIX</c> (the shapes whose name starts with it, e.g. 1x).</summary>
public static class GemmBench
{
    // (name, transA, transB, m, k, n): shapes are written m×k×n.
    private static readonly (string Name, bool TransA, bool TransB, int M, int K, int N)[] Shapes =
    [
        ("128x784x400", false, true, 128, 784, 400),   // Linear forward y = x·Wᵀ, W (400,784)
        ("128x400x784", false, true, 128, 400, 784),   // Linear forward y = x·Wᵀ, W (784,400)
        ("784x128x400", true, false, 784, 128, 400),   // weight gradient dW = dYᵀ·X
        ("400x128x784", true, false, 400, 128, 784),   // weight gradient dW = dYᵀ·X
        ("1024x1024x1024", false, false, 1024, 1024, 1024),
        // Small products of the same VAE (latent 20): heads, decoder input, a single example, a tiny square.
        ("128x400x40", false, true, 128, 400, 40),     // encoder head (mu, logvar) forward
        ("128x20x400", false, true, 128, 20, 400),     // decoder first layer forward
        ("1x784x400", false, true, 1, 784, 400),       // one example: encoder first layer
        ("1x20x400", false, true, 1, 20, 400),         // one example: decoder first layer
        ("1x400x784", false, true, 1, 400, 784),       // one example: decoder last layer
        ("16x16x16", false, false, 16, 16, 16),
    ];

    /// <summary>Runs the benchmark and prints one line per shape, backend and thread count.</summary>
    public static void Run(string[] args)
    {
        int[] threadCounts = [1, 2];
        double seconds = 0.5;
        bool runBlas = true;
        bool best = false;
        string? only = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--threads": threadCounts = args[i + 1].Split(',').Select(int.Parse).ToArray(); break;
                case "--seconds": seconds = double.Parse(args[i + 1]); break;
                case "--only": only = args[i + 1]; break;
                case "--stat": best = args[i + 1] == "min"; break;
                case "--backends": runBlas = args[i + 1].Contains("openblas"); break;
                case "--mc": GemmConfig.MC = int.Parse(args[i + 1]); break;
                case "--kc": GemmConfig.KC = int.Parse(args[i + 1]); break;
                case "--nc": GemmConfig.NC = int.Parse(args[i + 1]); break;
                default: throw new ArgumentException($"unknown gemm bench option {args[i]}");
            }
        }
        bool haveBlas = Blas.OpenBlasAvailable && runBlas;
        Console.WriteLine($"# gemm shapes are m×k×n (C m×n = op(A) m×k · op(B) k×n); {(best ? "fastest" : "median")} of ≥10 timed batches (≥50 µs each) / ~{seconds}s; " +
            $"MR={GemmConfig.MR} NR={GemmConfig.NR} MC={GemmConfig.MC} KC={GemmConfig.KC} NC={GemmConfig.NC}; " +
            $"OpenBLAS: {(Blas.OpenBlasAvailable ? $"{CblasGemm.LibraryName} core={CblasGemm.CoreName}" : "not available")}; " +
            $"CPU {GemmCalibration.CpuModel()}, {Environment.ProcessorCount} cores, OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "(unset)"}, ELBO_GEMM={Environment.GetEnvironmentVariable("ELBO_GEMM") ?? "(unset)"}");
        var summary = new List<string>();
        foreach (var s in Shapes)
        {
            if (only is not null && !s.Name.StartsWith(only, StringComparison.Ordinal)) continue;
            var rng = new Random(42);
            float[] a = new float[s.M * s.K], b = new float[s.K * s.N], c = new float[s.M * s.N];
            for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextDouble() - 0.5f;
            for (int i = 0; i < b.Length; i++) b[i] = (float)rng.NextDouble() - 0.5f;
            int lda = s.TransA ? s.M : s.K, ldb = s.TransB ? s.K : s.N;
            foreach (int threads in threadCounts)
            {
                Blas.SetThreads(threads);
                double managed = Measure(GemmBackend.Managed, s, a, lda, b, ldb, c, seconds, best);
                Console.WriteLine($"gemm {s.Name} managed threads={threads}: {managed:F1} GFLOPS");
                if (!haveBlas) continue;
                double blas = Measure(GemmBackend.OpenBlas, s, a, lda, b, ldb, c, seconds, best);
                Console.WriteLine($"gemm {s.Name} openblas threads={threads}: {blas:F1} GFLOPS");
                summary.Add($"gemm {s.Name} threads={threads}: managed/openblas = {managed / blas:F2}");
            }
        }
        foreach (string line in summary) Console.WriteLine(line);
    }

    private static double Measure(GemmBackend backend, (string Name, bool TransA, bool TransB, int M, int K, int N) s,
        float[] a, int lda, float[] b, int ldb, float[] c, double seconds, bool best)
    {
        Blas.Backend = backend;
        void Once() => Blas.Sgemm(s.TransA, s.TransB, s.M, s.N, s.K, 1f, a, lda, b, ldb, 0f, c, s.N);
        var warm = Stopwatch.StartNew();
        int warmCalls = 0;
        for (; warm.Elapsed.TotalSeconds < 0.25; warmCalls++) Once(); // lets tiered JIT reach optimized code
        // Time batches of at least ~50 µs so that tiny products are not lost in timer overhead.
        int batch = (int)Math.Clamp(50e-6 * warmCalls / warm.Elapsed.TotalSeconds, 1, 1_000_000);
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 10 || total.Elapsed.TotalSeconds < seconds)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++) Once();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds / batch);
        }
        times.Sort();
        double time = best ? times[0] : times[times.Count / 2];
        return 2.0 * s.M * s.N * s.K / time / 1e9;
    }
}
