using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Elbo.Engine.Threading;

namespace Elbo.Engine.Gemm;

/// <summary>The backend a calibration chose and what it measured.</summary>
/// <param name="Backend">The faster backend on the workload's shapes.</param>
/// <param name="ManagedGflops">The managed GEMM's rate on the workload's shapes.</param>
/// <param name="OpenBlasGflops">OpenBLAS' rate on them (null when it did not load).</param>
/// <param name="Threads">The thread count both ran with.</param>
/// <param name="Shapes">How many distinct shapes the workload has.</param>
/// <param name="Cached">Whether the figures came from the cache file rather than from timing now.</param>
public sealed record GemmChoice(GemmBackend Backend, double ManagedGflops, double? OpenBlasGflops, int Threads, int Shapes, bool Cached)
{
    /// <summary>The chosen backend's rate.</summary>
    public double Gflops => Backend == GemmBackend.OpenBlas ? OpenBlasGflops ?? 0 : ManagedGflops;

    /// <summary>One line, e.g. <c>managed 185 GFLOPS (OpenBLAS 98) on this model's 12 GEMM shapes, 2 threads, measured</c>.</summary>
    public override string ToString()
    {
        string name = Backend == GemmBackend.OpenBlas ? "OpenBLAS" : "managed";
        string other = OpenBlasGflops is null ? "OpenBLAS not loaded"
            : Backend == GemmBackend.OpenBlas ? $"managed {ManagedGflops:F0}" : $"OpenBLAS {OpenBlasGflops:F0}";
        return FormattableString.Invariant($"{name} {Gflops:F0} GFLOPS ({other}) on this model's {Shapes} GEMM shapes, {Threads} threads, {(Cached ? "cached" : "measured")}");
    }
}

/// <summary>A workload's GEMM plan: the backend and thread count of its products, and apart from them the backend of
/// its products of at most <see cref="GemmConfig.DirectMaxRows"/> rows (null when it has none, or only those).</summary>
/// <param name="Main">The choice for the products with more rows (for all of them when none has more).</param>
/// <param name="FewRows">The choice for the products with few rows, timed at <paramref name="Main"/>'s thread count.</param>
public sealed record GemmPlan(GemmChoice Main, GemmChoice? FewRows)
{
    /// <summary>Makes the plan the engine's: <see cref="Blas.Backend"/>, <see cref="Blas.FewRowsBackend"/> and the thread
    /// count of every parallel kernel.</summary>
    public void Apply()
    {
        Blas.Backend = Main.Backend;
        if (FewRows is not null) Blas.FewRowsBackend = FewRows.Backend;
        if (ParallelRunner.Threads != Main.Threads) Blas.SetThreads(Main.Threads);
    }
}

/// <summary>
/// Picks the faster GEMM backend for a workload by timing its own GEMM shapes (recorded with <see cref="GemmTrace"/>)
/// on each backend, rather than by CPU flags: on some machines OpenBLAS runs kernels for an older core than the CPU has
/// (an environment's <c>OPENBLAS_CORETYPE=Haswell</c> on an AVX-512 CPU halves it), on others it is the faster one.
/// Rounds (every recorded call once, with its count, each replayed where the workload made it: inside a parallel loop
/// or outside any) alternate between the backends so both see the same machine load,
/// and each backend's rate is total FLOPs over its fastest round: on a shared machine other work only ever slows a
/// round down, so the fastest is the best estimate of what the backend can do. The result is cached in a JSON file keyed by the CPU
/// model and signature (family, model, stepping), core and thread counts, the OpenBLAS library and core type, the vector
/// width, the engine's build and the shapes, so the timing runs once per machine, build and workload, and again when
/// an entry is older than <see cref="CacheMaxAge"/>.
/// </summary>
public static class GemmCalibration
{
    /// <summary>How much faster (as a fraction) a plan with fewer threads must be to be chosen over one with more: the
    /// kernels beside the GEMM (elementwise, reductions, the optimizer) gain from threads the GEMM timing does not see.</summary>
    public const double FewerThreadsMargin = 0.05;

    /// <summary>How long a cached choice stands: an older entry is measured again (a machine's OpenBLAS, microcode or
    /// host can change under the same key).</summary>
    public static readonly TimeSpan CacheMaxAge = TimeSpan.FromDays(30);

    /// <summary>Chooses a backend for <paramref name="calls"/> — and, given <paramref name="threadCounts"/>, the thread
    /// count too — reading and updating <paramref name="cacheFile"/> (no cache when null). Timing takes about
    /// <paramref name="budget"/> (default 0.6 s) per thread count when the cache has no entry. Without OpenBLAS the
    /// managed GEMM is timed alone. <see cref="ParallelRunner.Threads"/> is left as it was; the caller applies the
    /// choice's <see cref="GemmChoice.Threads"/>.</summary>
    public static GemmChoice Choose(IReadOnlyList<(GemmShape Shape, int Calls)> calls, string? cacheFile, TimeSpan? budget = null,
        IReadOnlyList<int>? threadCounts = null)
    {
        ArgumentNullException.ThrowIfNull(calls);
        int current = ParallelRunner.Threads;
        var candidates = (threadCounts is { Count: > 0 } ? threadCounts : [current]).Distinct().Order().ToArray();
        if (calls.Count == 0) return new GemmChoice(GemmBackend.Managed, 0, null, current, 0, false);
        string key = Key(calls, candidates);
        if (cacheFile is not null && Blas.OpenBlasAvailable && ReadCache(cacheFile, key) is { } cached)
            return cached with { Cached = true };
        GemmChoice? best = null;
        try
        {
            foreach (int t in candidates)
            {
                ParallelRunner.Threads = t;
                var (managed, openBlas) = Blas.OpenBlasAvailable
                    ? Compare(calls, budget ?? TimeSpan.FromSeconds(0.6))
                    : (Measure(calls, GemmBackend.Managed, 5).Gflops, (double?)null);
                var here = new GemmChoice(openBlas > managed ? GemmBackend.OpenBlas : GemmBackend.Managed, managed, openBlas, t, calls.Count, false);
                // candidates ascend: more threads win unless fewer are faster by the margin
                if (best is null || here.Gflops * (1 + FewerThreadsMargin) >= best.Gflops) best = here;
            }
        }
        finally
        {
            ParallelRunner.Threads = current;
        }
        if (cacheFile is not null && Blas.OpenBlasAvailable) WriteCache(cacheFile, key, best!);
        return best!;
    }

    /// <summary>The plan for <paramref name="calls"/>: <see cref="Choose"/> on its products of more than
    /// <see cref="GemmConfig.DirectMaxRows"/> rows (backend and, given <paramref name="threadCounts"/>, threads), then on
    /// its products of fewer rows at that thread count, since which backend multiplies one row fastest is a question
    /// of its own (a vector-matrix product reads the whole matrix once; the blocked kernels' speed says little about
    /// it). Not applied: see <see cref="GemmPlan.Apply"/>.</summary>
    public static GemmPlan ChoosePlan(IReadOnlyList<(GemmShape Shape, int Calls)> calls, string? cacheFile, TimeSpan? budget = null,
        IReadOnlyList<int>? threadCounts = null)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var few = calls.Where(c => c.Shape.M <= GemmConfig.DirectMaxRows).ToArray();
        var many = calls.Where(c => c.Shape.M > GemmConfig.DirectMaxRows).ToArray();
        var main = Choose(many.Length > 0 ? many : calls, cacheFile, budget, threadCounts);
        if (few.Length == 0 || many.Length == 0) return new GemmPlan(main, null);
        int current = ParallelRunner.Threads;
        try
        {
            ParallelRunner.Threads = main.Threads;
            return new GemmPlan(main, Choose(few, cacheFile, budget));
        }
        finally
        {
            ParallelRunner.Threads = current;
        }
    }

    /// <summary>Times both backends on <paramref name="calls"/> in alternating rounds for about
    /// <paramref name="budget"/>; returns each one's GFLOPS (total FLOPs over the fastest round).</summary>
    public static (double Managed, double? OpenBlas) Compare(IReadOnlyList<(GemmShape Shape, int Calls)> calls, TimeSpan budget)
    {
        var work = new Workload(calls);
        work.Round(GemmBackend.Managed);                 // warm up both (JIT, packing buffers, OpenBLAS' first call)
        work.Round(GemmBackend.OpenBlas);
        var managed = new List<double>();
        var openBlas = new List<double>();
        var clock = Stopwatch.StartNew();
        while (managed.Count < 3 || (clock.Elapsed < budget && managed.Count < 200))
        {
            managed.Add(work.Round(GemmBackend.Managed));
            openBlas.Add(work.Round(GemmBackend.OpenBlas));
        }
        return (work.Flops / managed.Min() / 1e9, work.Flops / openBlas.Min() / 1e9);
    }

    /// <summary>The rate of one backend over <paramref name="rounds"/> rounds (median), for benchmarks.</summary>
    public static (double Gflops, double SecondsPerRound) Measure(IReadOnlyList<(GemmShape Shape, int Calls)> calls, GemmBackend backend, int rounds)
    {
        var work = new Workload(calls);
        work.Round(backend);
        var times = new List<double>();
        for (int r = 0; r < rounds; r++) times.Add(work.Round(backend));
        double median = Median(times);
        return (work.Flops / median / 1e9, median);
    }

    /// <summary>The CPU's family, model and stepping (from /proc/cpuinfo on Linux; empty when unknown): a cloud CPU's
    /// model name can be as bare as "AMD EPYC" on several generations.</summary>
    public static string CpuSignature()
    {
        string? family = null, model = null, stepping = null;
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                int at = line.IndexOf(':');
                if (at <= 0) { if (family is not null) break; continue; }     // the first processor's block only
                string name = line[..at].Trim(), value = line[(at + 1)..].Trim();
                if (name == "cpu family") family = value;
                else if (name == "model") model = value;
                else if (name == "stepping") stepping = value;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return family is null ? "" : $"family={family} model={model} stepping={stepping}";
    }

    /// <summary>The CPU's model name (from /proc/cpuinfo on Linux), or the architecture when unknown.</summary>
    public static string CpuModel()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int at and > 0)
                    return line[(at + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }

    // What the choice depends on: the machine, the libraries and the shapes.
    private static string Key(IReadOnlyList<(GemmShape Shape, int Calls)> calls, IReadOnlyList<int> threads)
    {
        var shapes = string.Join(";", calls.Select(c => $"{c.Shape}*{c.Calls}").Order(StringComparer.Ordinal));
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(shapes)))[..16];
        // The engine's build, not its version number: a changed kernel must be timed again (deterministic builds give
        // the same module id to the same code). The vector width is the one the managed kernels run with, which
        // DOTNET_EnableAVX512F=0 changes on the same CPU.
        string engine = typeof(GemmCalibration).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];
        string simd = Vector512.IsHardwareAccelerated ? "512" : Vector256.IsHardwareAccelerated ? "256" : "128";
        return $"{CpuModel()}|{CpuSignature()}|cores={Environment.ProcessorCount}|threads={string.Join(",", threads)}|{CblasGemm.LibraryName}|core={CblasGemm.CoreName}|simd={simd}|engine={engine}|shapes={hash}";
    }


    private static List<GemmCacheEntry> ReadEntries(string file)
    {
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllText(file), GemmCacheJson.Default.ListGemmCacheEntry) ?? [] : [];
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return [];        // an unreadable cache is only a cache: measure again
        }
    }

    private static GemmChoice? ReadCache(string file, string key)
    {
        var entry = ReadEntries(file).LastOrDefault(e => e.Key == key);
        if (entry is null || DateTime.UtcNow - entry.Measured > CacheMaxAge) return null;
        var backend = entry.Backend == "openblas" ? GemmBackend.OpenBlas : GemmBackend.Managed;
        return new GemmChoice(backend, entry.ManagedGflops, entry.OpenBlasGflops, entry.Threads, entry.Shapes, true);
    }

    // Best effort, written through a temporary file and a rename; a cache that cannot be written is skipped.
    private static void WriteCache(string file, string key, GemmChoice choice)
    {
        try
        {
            var entries = ReadEntries(file).Where(e => e.Key != key).TakeLast(63).ToList();
            entries.Add(new GemmCacheEntry(key, choice.Backend == GemmBackend.OpenBlas ? "openblas" : "managed", Math.Round(choice.ManagedGflops, 1),
                choice.OpenBlasGflops is { } o ? Math.Round(o, 1) : null, choice.Threads, choice.Shapes, DateTime.UtcNow));
            string? dir = Path.GetDirectoryName(Path.GetFullPath(file));
            if (dir is not null) Directory.CreateDirectory(dir);
            string temp = $"{file}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(entries, GemmCacheJson.Default.ListGemmCacheEntry));
            File.Move(temp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /// <summary>Seconds of <paramref name="ticks"/> Stopwatch ticks, never less than one tick: a round's time is taken
    /// from the timestamps themselves, because <see cref="Stopwatch.GetElapsedTime(long)"/>'s TimeSpan counts 100 ns,
    /// and a tiny workload's round (a small model's few-row products, or another thread's one-row calls a trace
    /// caught) read 0 s: an infinite rate, which the cache file's JSON refused, failing <c>elbo train</c>.</summary>
    internal static double RoundSeconds(long ticks) => Math.Max(1, ticks) / (double)Stopwatch.Frequency;

    // Operands for every recorded shape (random values, so no denormal or zero shortcut flatters a backend). A round
    // replays each call as the workload made it: a call made outside any parallel loop alone, split over the threads
    // as Blas splits it; the calls made inside a loop side by side in one loop over the threads, each thread making its
    // share of every such shape's calls whole on operands of its own, as a convolution's chunks of images do. Timing
    // those split instead would judge them by a speed-up they never get (two threads splitting one small product gain
    // far less than two products on two cores, so a 1-thread plan looked faster for the conv VAE on Zen 5).
    private sealed class Workload
    {
        private readonly (GemmShape Shape, int Calls)[] _calls;
        private readonly bool _anyInLoop;
        private readonly Random _rng = new(7);
        // _operands[t][i]: thread t's A, B and C for call i (thread 0's for the calls outside loops)
        private readonly List<(float[] A, float[] B, float[] C)[]> _operands = [];

        public Workload(IReadOnlyList<(GemmShape Shape, int Calls)> calls)
        {
            _calls = [.. calls];
            _anyInLoop = _calls.Any(c => c.Shape.InLoop);
            Flops = _calls.Sum(c => c.Shape.Flops * c.Calls);
            Operands(1);
        }

        public double Flops { get; }

        // Seconds for every call once, as the workload makes them.
        public double Round(GemmBackend backend)
        {
            int threads = ParallelRunner.Threads;
            var operands = Operands(_anyInLoop ? threads : 1);
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < _calls.Length; i++)
                if (!_calls[i].Shape.InLoop) Run(backend, _calls[i].Shape, operands[0][i], 0, _calls[i].Calls);
            var side = new SideBySide { Backend = backend, Calls = _calls, Operands = operands, Threads = threads };
            if (_anyInLoop) ParallelRunner.For(threads, ref side);
            return RoundSeconds(Stopwatch.GetTimestamp() - start);
        }

        private static void Run(GemmBackend backend, GemmShape s, (float[] A, float[] B, float[] C) o, int first, int end)
        {
            int lda = s.TransA ? s.M : s.K, ldb = s.TransB ? s.K : s.N;
            for (int r = first; r < end; r++) Blas.Sgemm(backend, s.TransA, s.TransB, s.M, s.N, s.K, 1f, o.A, lda, o.B, ldb, 0f, o.C, s.N);
        }

        // Operand sets for threads [0, count), made the first time they are asked for.
        private (float[] A, float[] B, float[] C)[][] Operands(int count)
        {
            while (_operands.Count < count)
                _operands.Add([.. _calls.Select(c =>
                {
                    var s = c.Shape;
                    bool needed = _operands.Count == 0 || s.InLoop;
                    var a = needed ? new float[(long)s.M * s.K] : [];
                    var b = needed ? new float[(long)s.K * s.N] : [];
                    for (int i = 0; i < a.Length; i++) a[i] = (float)_rng.NextDouble() - 0.5f;
                    for (int i = 0; i < b.Length; i++) b[i] = (float)_rng.NextDouble() - 0.5f;
                    return (a, b, needed ? new float[(long)s.M * s.N] : []);
                })]);
            return [.. _operands.Take(count)];
        }

        // Thread t's share of the in-loop calls: calls [t·n/T, (t+1)·n/T) of each such shape's n.
        private struct SideBySide : IParallelBody
        {
            public GemmBackend Backend;
            public (GemmShape Shape, int Calls)[] Calls;
            public (float[] A, float[] B, float[] C)[][] Operands;
            public int Threads;

            public readonly void Invoke(int t)
            {
                for (int i = 0; i < Calls.Length; i++)
                {
                    var (shape, n) = Calls[i];
                    if (shape.InLoop) Run(Backend, shape, Operands[t][i], (int)((long)t * n / Threads), (int)((long)(t + 1) * n / Threads));
                }
            }
        }
    }
}

/// <summary>One line of the calibration cache file.</summary>
internal sealed record GemmCacheEntry(string Key, string Backend, double ManagedGflops, double? OpenBlasGflops, int Threads, int Shapes, DateTime Measured);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<GemmCacheEntry>))]
internal sealed partial class GemmCacheJson : System.Text.Json.Serialization.JsonSerializerContext;
