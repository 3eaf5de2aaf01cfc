using System.Diagnostics;
using Elbo.Data;
using Elbo.Engine.Gemm;
using Elbo.Engine.Tensors;
using Elbo.Evaluation;
using Elbo.Models;
using Elbo.Training;

namespace Elbo.Bench;

/// <summary>
/// `latency`: inference as a server runs it — encode, decode and score (−ELBO and IW −log p(x) with k samples) through
/// <see cref="ModelRunner"/> at batch 1, 16 and 256: per-call latency p50/p99 (µs), throughput (examples/s) and the
/// managed bytes allocated per call after warm-up (all threads). The model is a run folder's (--run DIR) or, without
/// one, the quick start's MLP VAE (784-400-20, Bernoulli) with its initial weights (the same FLOPs).
/// Operations and batch sizes are measured in interleaved rounds so a slow phase of a shared machine hits all alike.
/// Options: --run DIR, --calls N per configuration (default 2000, fewer for big batches), --rounds N (default 5),
/// --k N importance samples of a score (default 100, as elbo serve), --threads N (default: the engine's),
/// --backend managed|openblas (default: the plan elbo eval and serve choose, timed on the model's encode and decode).
/// </summary>
public static class LatencyBench
{
    public static void Run(string[] args)
    {
        int calls = BenchArgs.Int(args, "--calls", 2000);
        int rounds = Math.Max(1, BenchArgs.Int(args, "--rounds", 5));
        int k = BenchArgs.Int(args, "--k", 100);
        if (BenchArgs.Has(args, "--threads")) Blas.SetThreads(BenchArgs.Int(args, "--threads", 1));
        if (BenchArgs.Has(args, "--backend")) Blas.Backend = BenchArgs.Backends(args)[0];
        string? run = BenchArgs.Str(args, "--run");
        LatentVariableModel model;
        string what;
        if (run is null)
        {
            model = ModelRegistry.Create(ModelOptions.DefaultMlp(DataShape.Grey(28, 28)), new Generator(1));
            what = "the quick start's MLP VAE (initial weights)";
        }
        else
        {
            (var config, model) = TrainedRun.Load(run);
            what = $"{run} ({config.Model.Title})";
        }
        string plan;
        if (BenchArgs.Has(args, "--backend")) plan = $"GEMM {Blas.Backend} (forced)";
        else
        {
            // as elbo serve and elbo eval choose: timed on the model's own encode and decode, batched and at one example
            var chosen = GemmCalibration.ChoosePlan(InferenceWorkload.GemmCalls(model), cacheFile: null,
                threadCounts: BenchArgs.Has(args, "--threads") ? null : [1, Environment.ProcessorCount]);
            chosen.Apply();
            plan = $"GEMM {chosen.Main} ; 1-3 rows: {chosen.FewRows?.Backend.ToString() ?? "same"}";
        }
        Console.WriteLine($"latency: {what}, {model.ParameterCount:N0} parameters; CPU {GemmCalibration.CpuModel()}, " +
            $"{Environment.ProcessorCount} cores, {plan}, threads {Engine.Threading.ParallelRunner.Threads}, " +
            $"OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "(unset)"}; score k = {k}; " +
            $"{rounds} interleaved rounds");

        var configs = new List<Config>();
        foreach (string op in new[] { "encode", "decode", "score" })
            foreach (int batch in new[] { 1, 16, 256 })
                configs.Add(new Config(model, op, batch, k, CallsFor(op, batch, k, calls)));
        foreach (var c in configs) c.WarmUp();
        for (int r = 0; r < rounds; r++)
            foreach (var c in configs) c.Measure(Math.Max(1, c.Calls / rounds));
        Console.WriteLine($"{"op",-7} {"batch",5} {"p50 µs",10} {"p99 µs",10} {"examples/s",12} {"B/call",8}");
        foreach (var c in configs)
        {
            var t = c.Times.ToArray();
            Array.Sort(t);
            double p50 = Quantile(t, 0.50), p99 = Quantile(t, 0.99);
            Console.WriteLine($"{c.Op,-7} {c.Batch,5} {p50,10:F1} {p99,10:F1} {c.Batch / (p50 * 1e-6),12:N0} {c.AllocatedPerCall,8}");
        }
    }

    /// <summary>Fewer calls where one call is long (a score of 256 examples × k samples), so a run stays short.</summary>
    private static int CallsFor(string op, int batch, int k, int calls)
    {
        long work = op == "score" ? (long)batch * (k + 1) : batch;
        return (int)Math.Clamp(calls * 16L / Math.Max(16, work), 20, calls);
    }

    private static double Quantile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * (sorted.Length - 1) + 0.5))];

    private sealed class Config
    {
        private readonly ModelRunner _runner;
        private readonly float[] _x, _z, _mu, _logVar, _mean;
        private readonly double[] _negElbo, _negLogPx;
        private readonly int[] _labels;
        private readonly int _k;
        private readonly Generator _g = new(7);
        private long _allocated, _measured;

        public Config(LatentVariableModel model, string op, int batch, int k, int calls)
        {
            Op = op;
            Batch = batch;
            Calls = calls;
            Times = new List<double>(calls + 64);     // reserved: the list's growth is not the runner's allocation
            _k = k;
            _runner = new ModelRunner(model);
            int d = model.Input.Features, l = model.Latent;
            var g = new Generator(3);
            _x = new float[batch * d];
            g.FillUniform(_x);                        // values in [0, 1), as pixels
            _z = new float[batch * l];
            g.FillNormal(_z);
            _mu = new float[batch * l];
            _logVar = model.Posterior.ParameterNames.Count > 1 ? new float[batch * l] : [];
            _mean = new float[batch * d];
            _negElbo = new double[batch];
            _negLogPx = new double[batch];
            _labels = model.IsConditional ? model.LabelsInTurn(batch) : [];
        }

        public string Op { get; }
        public int Batch { get; }
        public int Calls { get; }
        public List<double> Times { get; }
        public long AllocatedPerCall => _measured == 0 ? 0 : _allocated / _measured;

        public void WarmUp()
        {
            for (int i = 0; i < 5; i++) Call();
        }

        public void Measure(int calls)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < calls; i++)
            {
                long start = Stopwatch.GetTimestamp();
                Call();
                Times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
            _allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
            _measured += calls;
        }

        private void Call()
        {
            switch (Op)
            {
                case "encode": _runner.Encode(_x, Batch, _mu, _logVar, _labels); break;
                case "decode": _runner.Decode(_z, Batch, _mean, _labels); break;
                default: _runner.Score(_x, Batch, _k, _g, _negElbo, _negLogPx, _labels); break;
            }
        }
    }
}
