using Elbo.Engine.Gemm;
using Elbo.Serialization;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>
/// Chooses the GEMM backend of a training run: what <c>ELBO_GEMM</c> forces (<c>managed</c> or <c>openblas</c>), else the
/// faster one on the model's own step — and the thread count (1 or every core) unless <c>--threads</c> or
/// <c>ELBO_NUM_THREADS</c> gives one — timed once per machine and model shape set and cached in
/// <c>$XDG_CACHE_HOME/elbo/gemm.json</c> (or <c>~/.cache/elbo/gemm.json</c>); see <see cref="GemmCalibration"/>.
/// </summary>
internal static class GemmSetup
{
    /// <summary>The environment variable that forces a backend.</summary>
    public const string Variable = "ELBO_GEMM";

    /// <summary>The calibration cache file: <c>$ELBO_GEMM_CACHE</c> when set (tests), else in the user's cache folder.</summary>
    public static string CacheFile()
    {
        string? overridden = Environment.GetEnvironmentVariable("ELBO_GEMM_CACHE");
        if (!string.IsNullOrEmpty(overridden)) return overridden;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? home : Path.GetTempPath(), ".cache");
        return Path.Combine(root, "elbo", "gemm.json");
    }

    /// <summary>Sets the backend for <paramref name="trainer"/>'s run and records it in its configuration; returns the
    /// record. <paramref name="threadsFixed"/>: the thread count is set (a rank's share of the host's cores) and is not
    /// to be chosen.</summary>
    public static GemmRecord Apply(Trainer trainer, bool threadsFixed = false)
    {
        // the thread count too, unless --threads or ELBO_NUM_THREADS gave one (or a rank's share is set)
        var record = Choose(trainer.StepGemmCalls(), threadsFixed || trainer.Config.Threads > 0);
        trainer.RecordGemm(record);
        return record;
    }

    /// <summary>Sets the backend and thread plan for inference with <paramref name="model"/> (eval, score, serve): timed
    /// on the model's encode and decode at the evaluations' batch and at one example
    /// (<see cref="Evaluation.InferenceWorkload"/>), cached like training's; returns the record.</summary>
    public static GemmRecord ApplyForInference(Models.LatentVariableModel model, bool threadsGiven = false) =>
        Choose(Evaluation.InferenceWorkload.GemmCalls(model), threadsGiven);

    /// <summary>ELBO_GEMM's backend when it forces one; else the plan <see cref="GemmCalibration.ChoosePlan"/> finds for
    /// <paramref name="calls"/> (the thread count too unless <paramref name="threadsGiven"/>), applied.</summary>
    private static GemmRecord Choose(IReadOnlyList<(GemmShape Shape, int Calls)> calls, bool threadsGiven)
    {
        string? forced = Environment.GetEnvironmentVariable(Variable);
        int threads = Engine.Threading.ParallelRunner.Threads;
        if (Blas.ParseBackend(forced) != GemmBackend.Auto)
        {
            var backend = Blas.Backend;        // ELBO_GEMM, resolved (an OpenBLAS that does not load is an error there)
            return new GemmRecord(Name(backend), null, null, null, threads, Variable);
        }
        threadsGiven |= !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ELBO_NUM_THREADS"));
        int[]? candidates = threadsGiven || Environment.ProcessorCount < 2 ? null : [1, Environment.ProcessorCount];
        var plan = GemmCalibration.ChoosePlan(calls, CacheFile(), threadCounts: candidates);
        plan.Apply();
        var choice = plan.Main;
        return new GemmRecord(Name(choice.Backend), Round(choice.Gflops), Round(choice.ManagedGflops), choice.OpenBlasGflops is { } o ? Round(o) : null,
            choice.Threads, choice.Cached ? "cached" : "measured") { FewRowsBackend = plan.FewRows is { } f ? Name(f.Backend) : null };
    }

    /// <summary>The record in a few words for <c>elbo train</c>'s first line.</summary>
    public static string Describe(GemmRecord r, string what = "step") => r.Source == Variable
        ? $"GEMM {r.Backend} ({Variable})"
        : FormattableString.Invariant($"GEMM {r.Backend} {r.Gflops:F0} GFLOPS on this model's {what} ({(r.OpenBlasGflops is { } o ? (r.Backend == "managed" ? $"OpenBLAS {o:F0}" : $"managed {r.ManagedGflops:F0}") : "OpenBLAS not loaded")}, {r.Source})") +
            (r.FewRowsBackend is { } f && f != r.Backend ? $", {f} for products of 1-3 rows" : "");

    private static string Name(GemmBackend backend) => backend == GemmBackend.OpenBlas ? "openblas" : "managed";

    private static double Round(double v) => Math.Round(v, 1);
}
