using System.Diagnostics;
using Elbo.Data;
using Elbo.Engine.Autograd;
using Elbo.Engine.Gemm;
using Elbo.Engine.Optim;
using Elbo.Engine.Tensors;
using Elbo.Models;
using Elbo.Objectives;

namespace Elbo.Bench;

/// <summary>
/// `loop`: where the training loop's time goes beyond the bare step. Three variants of one MLP VAE step
/// (784-400-20-400-784, batch 128, Bernoulli, closed-form KL, Adam), measured in interleaved rounds:
/// <c>fixed</c> — the library's model.Loss + backward + Adam on one fixed batch;
/// <c>batches</c> — the same on batches drawn by BatchIterator from byte data of Fashion-MNIST's size (60000 images);
/// <c>trainer</c> — as <c>batches</c> plus what Trainer.Run does per step (reading the loss values, the sums).
/// Options: --threads N (default 2), --reps N (default 120), --rounds N (default 4), --backend managed|openblas,
/// --data NAME (e.g. fashion-mnist; default random bytes), --model conv (PyTorch-VAE's layout, channels 32,64, latent 16),
/// --warmup N steps, --only-trainer.
/// </summary>
public static class LoopBench
{
    private const int Batch = 128, Side = 28, Images = 60000;

    public static void Run(string[] args)
    {
        int reps = BenchArgs.Int(args, "--reps", 120), rounds = Math.Max(1, BenchArgs.Int(args, "--rounds", 4));
        int threads = BenchArgs.Int(args, "--threads", 2);
        var backend = BenchArgs.Backends(args)[0];
        Blas.Backend = backend;
        Blas.SetThreads(threads);
        Dataset data;
        if (BenchArgs.Str(args, "--data") is { } name) data = DataSource.Resolve(name).Train;
        else
        {
            var bytes = new byte[Images * Side * Side];
            new Random(1).NextBytes(bytes);
            for (int i = 0; i < bytes.Length; i++) if (bytes[i] < 128) bytes[i] = 0; // sparse-ish like clothing images
            var pixels = new float[bytes.Length];
            for (int i = 0; i < bytes.Length; i++) pixels[i] = bytes[i] / 255f;
            data = new Dataset("bench", pixels, null, DataShape.Grey(Side, Side), "none");
        }
        var options = BenchArgs.Str(args, "--model") == "conv"
            ? new ModelOptions("conv", DataShape.Grey(Side, Side), 16, [], [32, 64], "bernoulli")
            : ModelOptions.DefaultMlp(DataShape.Grey(Side, Side));
        var variants = BenchArgs.Has(args, "--only-trainer")
            ? new[] { new Variant("trainer", data, options, true, true) }
            : new[] { new Variant("fixed", data, options, false, false), new Variant("batches", data, options, true, false), new Variant("trainer", data, options, true, true) };
        Console.WriteLine($"loop: MLP VAE step variants, batch {Batch}, {backend} GEMM, {threads} threads; median of {reps} steps in {rounds} interleaved rounds");
        foreach (var v in variants) v.Steps(BenchArgs.Int(args, "--warmup", 50), record: false);
        for (int r = 0; r < rounds; r++)
            foreach (var v in variants) v.Steps(reps / rounds, record: true);
        foreach (var v in variants)
            Console.WriteLine($"loop {v.Name}: {BenchArgs.Median([.. v.Times]):F3} ms/step (batch+forward {BenchArgs.Median([.. v.Forward]):F3}, " +
                $"backward {BenchArgs.Median([.. v.Backward]):F3}, adam {BenchArgs.Median([.. v.Update]):F3}), allocated {v.AllocatedPerStep} B/step");
    }

    private sealed class Variant
    {
        private readonly LatentVariableModel _model;
        private readonly Adam _adam;
        private readonly Objectives.GeneratorNoise _noise = new(new Generator(7));   // one source: a step allocates nothing
        private readonly ElboObjective _objective = new();
        private readonly BatchIterator _batches;
        private readonly TensorArena _arena = new();
        private readonly bool _draw, _bookkeeping;
        private readonly Tensor _fixed;
        private int _next;
        private long _allocated, _steps;
        private double _sum;

        public Variant(string name, Dataset data, ModelOptions options, bool draw, bool bookkeeping)
        {
            Name = name;
            _model = ModelRegistry.Create(options, new Generator(1));
            _adam = new Adam(_model.Parameters(), 1e-3);
            _batches = new BatchIterator(data, Batch, 1, shuffle: true, layout: BatchLayout.Flat);
            _batches.StartEpoch(1);
            _fixed = _batches.GetBatch(0).Images.Clone();
            _draw = draw;
            _bookkeeping = bookkeeping;
        }

        public string Name { get; }
        public List<double> Times { get; } = [];
        public List<double> Forward { get; } = [];
        public List<double> Backward { get; } = [];
        public List<double> Update { get; } = [];
        public long AllocatedPerStep => _steps == 0 ? 0 : _allocated / _steps;

        public void Steps(int count, bool record)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < count; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                Tensor x;
                if (_draw)
                {
                    if (_next == _batches.BatchCount - 1) { _batches.StartEpoch(_batches.Epoch + 1); _next = 0; }
                    x = _batches.GetBatch(_next++).Images;
                }
                else x = _fixed;
                _adam.ZeroGrad();
                long t1, t2;
                using (_arena.Step())
                {
                    var loss = _model.Loss(x, _objective, 1f, _noise);
                    if (_bookkeeping)
                    {
                        float value = loss.Objective.Item();
                        if (!float.IsFinite(value)) throw new InvalidOperationException("diverged");
                    }
                    t1 = Stopwatch.GetTimestamp();
                    loss.Objective.Backward();
                    if (_bookkeeping) _sum += loss.Reconstruction + loss.Kl;
                    t2 = Stopwatch.GetTimestamp();
                }
                _adam.Step();
                if (!record) continue;
                long t3 = Stopwatch.GetTimestamp();
                Times.Add(Stopwatch.GetElapsedTime(t0, t3).TotalMilliseconds);
                Forward.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                Backward.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                Update.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
            }
            if (record)
            {
                _allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
                _steps += count;
            }
        }
    }
}
