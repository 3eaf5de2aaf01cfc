using System.Diagnostics;
using Elbo.Engine.Gemm;
using Elbo.Engine.Nn;
using Elbo.Engine.Optim;
using Elbo.Engine.Tensors;

namespace Elbo.Bench;

/// <summary>
/// `step`: one full training step of the pytorch/examples MLP VAE (784-400-20-400-784, batch 128): forward, −ELBO
/// (Bernoulli likelihood from logits, closed-form KL), backward, Adam. For each backend and thread count it prints the
/// median step time (and its forward/backward/Adam parts), the median time of the same GEMM calls alone (the step's
/// floor), their ratio, and the bytes allocated per step after warm-up (all threads).
/// Configurations are measured in interleaved rounds, so a slow phase of a shared machine hits all of them alike.
/// Options: --threads N (default: 1 and 2), --reps N per configuration (default 60), --rounds N (default 3),
/// --backend managed|openblas (default: both).
/// </summary>
public static class StepBench
{
    private const int Batch = 128, In = 784, Hidden = 400, Latent = 20;

    public static void Run(string[] args)
    {
        int reps = BenchArgs.Int(args, "--reps", 60);
        int rounds = Math.Max(1, BenchArgs.Int(args, "--rounds", 3));
        var threadCounts = BenchArgs.Has(args, "--threads") ? [BenchArgs.Int(args, "--threads", 1)] : new[] { 1, 2 };
        var configs = new List<Config>();
        foreach (var backend in BenchArgs.Backends(args))
            foreach (int threads in threadCounts)
                configs.Add(new Config(backend, threads, reps));
        Console.WriteLine($"step: MLP VAE {In}-{Hidden}-{Latent}, batch {Batch}, forward+backward+Adam; " +
            $"median of {reps} steps per configuration in {rounds} interleaved rounds");

        foreach (var c in configs) c.WarmUp();
        for (int round = 0; round < rounds; round++)
            foreach (var c in configs) c.Measure(reps / rounds);

        foreach (var c in configs)
        {
            double step = Median(c.Total), gemm = Median(c.Gemm);
            Console.WriteLine($"step {c.Name} threads={c.Threads}: {step:F3} ms/step, GEMMs alone {gemm:F3} ms, " +
                $"ratio {step / gemm:F2}, allocated {c.AllocatedPerStep} B/step, {Batch / step * 1000:F0} images/s " +
                $"(forward {Median(c.Forward):F3}, backward {Median(c.Backward):F3}, adam {Median(c.Adam):F3} ms)");
        }
    }

    private static double Median(List<double> values) => BenchArgs.Median([.. values]);

    private sealed class Config
    {
        private readonly GemmBackend _backend;
        private readonly Generator _g = new(1);
        private readonly Linear _fc1, _fc21, _fc22, _fc3, _fc4;
        private readonly Adam _adam;
        private readonly Tensor _x, _eps;
        private readonly TensorArena _arena = new();
        private readonly float[] _w = new float[In * Hidden], _dw = new float[In * Hidden];
        private readonly float[][] _buffers;
        private long _allocated, _steps;

        public readonly List<double> Total = [], Forward = [], Backward = [], Adam = [], Gemm = [];

        public Config(GemmBackend backend, int threads, int reps)
        {
            _backend = backend;
            Threads = threads;
            _fc1 = new Linear(In, Hidden, _g);
            _fc21 = new Linear(Hidden, Latent, _g);
            _fc22 = new Linear(Hidden, Latent, _g);
            _fc3 = new Linear(Latent, Hidden, _g);
            _fc4 = new Linear(Hidden, In, _g);
            _adam = new Adam(new Sequential(_fc1, _fc21, _fc22, _fc3, _fc4).Parameters(), 1e-3);
            _x = Tensor.Uniform(_g, 0f, 1f, Batch, In);
            _eps = Tensor.Zeros(Batch, Latent);
            _buffers = new float[4][];
            for (int i = 0; i < _buffers.Length; i++) _buffers[i] = new float[Batch * In];
            foreach (var list in new[] { Total, Forward, Backward, Adam, Gemm }) list.Capacity = reps + 1;
        }

        public int Threads { get; }
        public string Name => _backend == GemmBackend.OpenBlas ? "openblas" : "managed";
        public long AllocatedPerStep => _steps == 0 ? 0 : _allocated / _steps;

        private void Activate()
        {
            Blas.Backend = _backend;
            Blas.SetThreads(Threads);
        }

        public void WarmUp()
        {
            Activate();
            var warm = Stopwatch.StartNew();
            for (int i = 0; i < 30 || warm.ElapsedMilliseconds < 700; i++)
            {
                Step(record: false);
                Gemms();
            }
        }

        public void Measure(int reps)
        {
            Activate();
            for (int i = 0; i < 5; i++) Step(record: false);
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < reps; i++) Step(record: true);
            _allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
            _steps += reps;
            for (int i = 0; i < reps; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                Gemms();
                Gemm.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        }

        private void Step(bool record)
        {
            long t0 = Stopwatch.GetTimestamp(), t1, t2;
            _adam.ZeroGrad();
            using (_arena.Step())
            {
                var h = _fc1.Forward(_x).Relu();
                var mu = _fc21.Forward(h);
                var logVar = _fc22.Forward(h);
                _g.FillNormal(_eps.Data);
                var z = mu + _eps * (logVar * 0.5f).Exp();
                var logits = _fc4.Forward(_fc3.Forward(z).Relu());
                var rec = Functional.BinaryCrossEntropyWithLogits(logits, _x, Reduction.Sum);
                var kl = (logVar.Exp() + mu.Square() - logVar - 1f).Sum() * 0.5f;
                var loss = (rec + kl) * (1f / Batch);
                t1 = Stopwatch.GetTimestamp();
                loss.Backward();
                t2 = Stopwatch.GetTimestamp();
            }
            _adam.Step();
            if (!record) return;
            long t3 = Stopwatch.GetTimestamp();
            Forward.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
            Backward.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
            Adam.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
            Total.Add(Stopwatch.GetElapsedTime(t0, t3).TotalMilliseconds);
        }

        // The GEMMs of one step with the step's shapes and transposes: Linear forward y = x·Wᵀ (+bias, beta 1),
        // backward dx = dy·W (not for the first layer, whose input is data) and dW = dyᵀ·x.
        private void Gemms()
        {
            ReadOnlySpan<(int In, int Out, bool InputGrad)> layers =
                [(In, Hidden, false), (Hidden, Latent, true), (Hidden, Latent, true), (Latent, Hidden, true), (Hidden, In, true)];
            foreach (var (inF, outF, inputGrad) in layers)
            {
                Blas.Sgemm(false, true, Batch, outF, inF, 1f, _buffers[0], inF, _w, inF, 1f, _buffers[1], outF);
                if (inputGrad) Blas.Sgemm(false, false, Batch, inF, outF, 1f, _buffers[2], outF, _w, inF, 0f, _buffers[3], inF);
                Blas.Sgemm(true, false, outF, inF, Batch, 1f, _buffers[2], outF, _buffers[0], inF, 0f, _dw, inF);
            }
        }
    }
}
