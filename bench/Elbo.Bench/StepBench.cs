using System.Diagnostics;
using Elbo.Engine.Gemm;
using Elbo.Engine.Nn;
using Elbo.Engine.Optim;
using Elbo.Engine.Tensors;
using Elbo.Engine.Threading;

namespace Elbo.Bench;

/// <summary>
/// `step`: one full training step of the pytorch/examples MLP VAE (784-400-20-400-784, batch 128): forward, −ELBO
/// (Bernoulli likelihood from logits, closed-form KL), backward, Adam. Prints the median step time, the median time
/// of the same GEMM calls alone (the step's floor), their ratio, and bytes allocated per step after warm-up.
/// Options: --threads N (default: 1 and 2), --reps N (default 50), --backend managed|openblas (default: both).
/// </summary>
public static class StepBench
{
    private const int Batch = 128, In = 784, Hidden = 400, Latent = 20;

    public static void Run(string[] args)
    {
        int reps = BenchArgs.Int(args, "--reps", 50);
        var threadCounts = BenchArgs.Has(args, "--threads") ? [BenchArgs.Int(args, "--threads", 1)] : new[] { 1, 2 };
        var backends = BenchArgs.Backends(args);
        Console.WriteLine($"step: MLP VAE {In}-{Hidden}-{Latent}, batch {Batch}, forward+backward+Adam; median of {reps}");
        foreach (var backend in backends)
            foreach (int threads in threadCounts)
            {
                Blas.Backend = backend;
                Blas.SetThreads(threads);
                var (step, allocated, parts) = TimeStep(reps);
                double gemm = TimeGemms(reps);
                Console.WriteLine($"step {Name(backend)} threads={threads}: {step:F3} ms/step, GEMMs alone {gemm:F3} ms, " +
                    $"ratio {step / gemm:F2}, allocated {allocated} B/step, {Batch / step * 1000:F0} images/s " +
                    $"(forward {parts[0]:F3}, backward {parts[1]:F3}, adam {parts[2]:F3} ms)");
            }
    }

    private static string Name(GemmBackend b) => b == GemmBackend.OpenBlas ? "openblas" : "managed";

    private static (double Ms, long Bytes, double[] Parts) TimeStep(int reps)
    {
        var g = new Generator(1);
        var fc1 = new Linear(In, Hidden, g);
        var fc21 = new Linear(Hidden, Latent, g);
        var fc22 = new Linear(Hidden, Latent, g);
        var fc3 = new Linear(Latent, Hidden, g);
        var fc4 = new Linear(Hidden, In, g);
        var model = new Sequential(fc1, fc21, fc22, fc3, fc4); // a container for the parameter list only
        var adam = new Adam(model.Parameters(), 1e-3);
        var x = Tensor.Uniform(g, 0f, 1f, Batch, In);
        var eps = Tensor.Zeros(Batch, Latent);
        var arena = new TensorArena();

        var parts = new double[3][];
        for (int i = 0; i < 3; i++) parts[i] = new double[reps];
        int rep = -1;
        void Step()
        {
            long t0 = Stopwatch.GetTimestamp();
            adam.ZeroGrad();
            using (arena.Step())
            {
                var h = fc1.Forward(x).Relu();
                var mu = fc21.Forward(h);
                var logVar = fc22.Forward(h);
                g.FillNormal(eps.Data);
                var z = mu + eps * (logVar * 0.5f).Exp();
                var logits = fc4.Forward(fc3.Forward(z).Relu());
                var rec = Functional.BinaryCrossEntropyWithLogits(logits, x, Reduction.Sum);
                var kl = (logVar.Exp() + mu.Square() - logVar - 1f).Sum() * 0.5f;
                var loss = (rec + kl) * (1f / Batch);
                long t1 = Stopwatch.GetTimestamp();
                loss.Backward();
                if (rep >= 0)
                {
                    parts[0][rep] = Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
                    parts[1][rep] = Stopwatch.GetElapsedTime(t1).TotalMilliseconds;
                }
            }
            long t2 = Stopwatch.GetTimestamp();
            adam.Step();
            if (rep >= 0) parts[2][rep] = Stopwatch.GetElapsedTime(t2).TotalMilliseconds;
        }

        // Warm up for at least a second so the JIT has promoted the hot methods to optimized code.
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < 50 || warm.ElapsedMilliseconds < 1000; i++) Step();
        var times = new double[reps];
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (rep = 0; rep < reps; rep++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Step();
            times[rep] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        long bytes = (GC.GetTotalAllocatedBytes(precise: true) - before) / reps;
        return (BenchArgs.Median(times), bytes, [BenchArgs.Median(parts[0]), BenchArgs.Median(parts[1]), BenchArgs.Median(parts[2])]);
    }

    // The GEMMs of one step, with the step's shapes and transposes: Linear forward y = x·Wᵀ, backward dx = dy·W
    // (not for the first layer, whose input is data) and dW = dyᵀ·x.
    private static double TimeGemms(int reps)
    {
        var layers = new (int In, int Out, bool InputGrad)[]
            { (In, Hidden, false), (Hidden, Latent, true), (Hidden, Latent, true), (Latent, Hidden, true), (Hidden, In, true) };
        var buffers = new float[8][];
        for (int i = 0; i < buffers.Length; i++) buffers[i] = new float[Batch * In * 2];
        var w = new float[In * Hidden];
        var dw = new float[In * Hidden];
        void All()
        {
            foreach (var (inF, outF, inputGrad) in layers)
            {
                Blas.Sgemm(false, true, Batch, outF, inF, 1f, buffers[0], inF, w, inF, 1f, buffers[1], outF);
                if (inputGrad) Blas.Sgemm(false, false, Batch, inF, outF, 1f, buffers[2], outF, w, inF, 0f, buffers[3], inF);
                Blas.Sgemm(true, false, outF, inF, Batch, 1f, buffers[2], outF, buffers[0], inF, 0f, dw, inF);
            }
        }
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < 30 || warm.ElapsedMilliseconds < 500; i++) All();
        var times = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            All();
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        return BenchArgs.Median(times);
    }
}
