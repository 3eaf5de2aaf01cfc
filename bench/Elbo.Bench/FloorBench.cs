using Elbo.Data;
using Elbo.Engine.Gemm;
using Elbo.Engine.Tensors;
using Elbo.Models;
using Elbo.Objectives;

namespace Elbo.Bench;

/// <summary>
/// `floor`: the GEMM floor of a training epoch — the FLOPs of one training step's matrix products (every GEMM call of a
/// forward and backward pass at batch 128, recorded with <see cref="GemmTrace"/>: the MLP's Linear layers, the conv
/// models' per-image im2col products) times the steps of an epoch, divided by the best rate this machine's GEMMs reach
/// on exactly those shapes (either backend, 1 thread or every core, <see cref="GemmCalibration.Compare"/>'s fastest
/// round). Elementwise work, BatchNorm, im2col and Adam are not counted: the floor is what the step would take if only
/// its matrix work cost time. Models: mlp (784-400-20, 60,000 Fashion-MNIST images), conv (32,64, latent 16, the same
/// images), conv64 (PyTorch-VAE's VanillaVAE on 64×64 RGB, 9,000 pictures as bench/image_folder.sh trains).
/// With --model eval: the decoder work of `elbo eval --k 1000 --n 1000` on the MLP (both proposals, 2048 rows a call).
/// Options: --model mlp|conv|conv64|eval (default all four), --k, --n (eval's), --images N (the epoch's examples), --seconds S (timing budget
/// per backend and thread count, default 1).
/// </summary>
public static class FloorBench
{
    private const int Batch = 128;

    public static void Run(string[] args)
    {
        string? only = BenchArgs.Str(args, "--model");
        double seconds = BenchArgs.Int(args, "--seconds", 1);
        Console.WriteLine($"floor: CPU {GemmCalibration.CpuModel()}, {Environment.ProcessorCount} cores, " +
            $"OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "(unset)"}, OpenBLAS {(Blas.OpenBlasAvailable ? "loaded" : "not loaded")}");
        foreach (var (name, options, images) in new[]
        {
            ("mlp", ModelOptions.DefaultMlp(DataShape.Grey(28, 28)), 60_000),
            ("conv", new ModelOptions("conv", DataShape.Grey(28, 28), 16, [], [32, 64], "bernoulli"), 60_000),
            ("conv64", new ModelOptions("conv", DataShape.Rgb(64, 64), 128, [], [32, 64, 128, 256, 512], "gaussian"), 9_000),
        })
        {
            if (only is not null && only != name) continue;
            int count = BenchArgs.Int(args, "--images", images);
            var calls = StepCalls(options);
            double stepFlops = calls.Sum(c => c.Shape.Flops * c.Calls);
            int steps = (count + Batch - 1) / Batch;
            double best = Best(name, calls, seconds);
            double epochFlops = stepFlops * count / Batch;     // the last, partial batch in proportion
            Console.WriteLine($"floor {name}: {stepFlops / 1e9:F3} GFLOP per step of {Batch}, {steps} steps per epoch of {count:N0}, " +
                $"{epochFlops / 1e9:F0} GFLOP per epoch; best {best:F0} GFLOPS → floor {epochFlops / (best * 1e9):F2} s per epoch, " +
                $"{count / (epochFlops / (best * 1e9)):F0} examples/s");
        }
        if (only is null or "eval")
        {
            // elbo eval --k 1000 --n 1000 on the MLP: each proposal decodes k·n rows in calls of 2048 rows
            int k = BenchArgs.Int(args, "--k", 1000), n = BenchArgs.Int(args, "--n", 1000), rows = 2048;
            var model = ModelRegistry.Create(ModelOptions.DefaultMlp(DataShape.Grey(28, 28)), new Generator(1));
            model.Eval();
            IReadOnlyList<(GemmShape Shape, int Calls)> calls;
            using (Engine.Autograd.GradMode.NoGrad())
            using (var trace = GemmTrace.Start())
            {
                model.Decode(Tensor.Zeros(rows, model.Latent));
                calls = trace.Calls;
            }
            double flops = calls.Sum(c => c.Shape.Flops * c.Calls) * (2.0 * k * n / rows);
            double best = Best("eval", calls, seconds);
            Console.WriteLine($"floor eval: the MLP decoder on 2 proposals × {k} samples × {n} images = {2L * k * n:N0} rows, " +
                $"{flops / 1e12:F3} TFLOP; best {best:F0} GFLOPS → floor {flops / (best * 1e9):F2} s");
        }
    }

    /// <summary>The best rate on <paramref name="calls"/>: either backend, split over 1 thread or every core, or one
    /// product per thread side by side; each measurement printed.</summary>
    private static double Best(string name, IReadOnlyList<(GemmShape Shape, int Calls)> calls, double seconds)
    {
        {
            double best = 0;
            string where = "";
            int saved = Engine.Threading.ParallelRunner.Threads;
            foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
            {
                Blas.SetThreads(threads);
                var (managed, openBlas) = Blas.OpenBlasAvailable
                    ? GemmCalibration.Compare(calls, TimeSpan.FromSeconds(seconds))
                    : (GemmCalibration.Measure(calls, GemmBackend.Managed, 5).Gflops, (double?)null);
                Console.WriteLine($"floor {name} threads={threads}: managed {managed:F0} GFLOPS, OpenBLAS {(openBlas is { } o ? $"{o:F0}" : "-")} GFLOPS on the step's {calls.Count} shapes");
                if (managed > best) (best, where) = (managed, $"managed, {threads} thread(s)");
                if (openBlas > best) (best, where) = (openBlas.Value, $"OpenBLAS, {threads} thread(s)");
            }
            // the step's products side by side, one whole product per thread (as per-image convolution GEMMs run inside
            // a parallel loop): on a machine whose threads are separate cores this beats splitting each product
            if (Environment.ProcessorCount > 1)
            {
                Blas.SetThreads(Environment.ProcessorCount);
                foreach (var backend in Blas.OpenBlasAvailable ? new[] { GemmBackend.Managed, GemmBackend.OpenBlas } : [GemmBackend.Managed])
                {
                    double rate = SideBySide(calls, backend, Environment.ProcessorCount, seconds);
                    Console.WriteLine($"floor {name} {Environment.ProcessorCount} threads, one product each: {backend} {rate:F0} GFLOPS");
                    if (rate > best) (best, where) = (rate, $"{backend}, {Environment.ProcessorCount} products side by side");
                }
            }
            Blas.SetThreads(saved);
            Console.WriteLine($"floor {name}: best {best:F0} GFLOPS: {where}");
            return best;
        }
    }

    /// <summary>GFLOPS of <paramref name="threads"/> threads each making every call of <paramref name="calls"/> on its
    /// own buffers, whole (a call inside a parallel loop is not split); the fastest of the rounds in about
    /// <paramref name="seconds"/>.</summary>
    private static double SideBySide(IReadOnlyList<(GemmShape Shape, int Calls)> calls, GemmBackend backend, int threads, double seconds)
    {
        Blas.Backend = backend;
        var body = new Replay { Items = new (GemmShape, int, float[], float[], float[])[threads][] };
        var rng = new Random(7);
        for (int t = 0; t < threads; t++)
            body.Items[t] = calls.Select(c =>
            {
                var a = new float[(long)c.Shape.M * c.Shape.K];
                var b = new float[(long)c.Shape.K * c.Shape.N];
                for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextDouble() - 0.5f;
                for (int i = 0; i < b.Length; i++) b[i] = (float)rng.NextDouble() - 0.5f;
                return (c.Shape, c.Calls, a, b, new float[(long)c.Shape.M * c.Shape.N]);
            }).ToArray();
        double flops = threads * calls.Sum(c => c.Shape.Flops * c.Calls);
        Engine.Threading.ParallelRunner.For(threads, ref body);        // warm up
        double fastest = double.MaxValue;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int round = 0; round < 3 || clock.Elapsed.TotalSeconds < seconds; round++)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            Engine.Threading.ParallelRunner.For(threads, ref body);
            fastest = Math.Min(fastest, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return flops / fastest / 1e9;
    }

    private struct Replay : Engine.Threading.IParallelBody
    {
        public (GemmShape Shape, int Calls, float[] A, float[] B, float[] C)[][] Items;

        public readonly void Invoke(int index)
        {
            foreach (var (s, count, a, b, c) in Items[index])
            {
                int lda = s.TransA ? s.M : s.K, ldb = s.TransB ? s.K : s.N;
                for (int r = 0; r < count; r++) Blas.Sgemm(s.TransA, s.TransB, s.M, s.N, s.K, 1f, a, lda, b, ldb, 0f, c, s.N);
            }
        }
    }

    /// <summary>The GEMM calls of one training step (forward, −ELBO, backward) of a new model at batch 128.</summary>
    private static IReadOnlyList<(GemmShape Shape, int Calls)> StepCalls(ModelOptions options)
    {
        var model = ModelRegistry.Create(options, new Generator(1));
        var x = Tensor.Zeros(Batch, options.Input.Features);
        new Generator(2).FillUniform(x.Data);
        model.Train();
        using var trace = GemmTrace.Start();
        model.Loss(x, new ElboObjective(), 1f, new Generator(3)).Objective.Backward();
        return trace.Calls;
    }
}
