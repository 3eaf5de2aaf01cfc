using Elbo.Engine.Gemm;

namespace Elbo.Bench;

/// <summary>Small helpers shared by the harness benchmarks: options and medians.</summary>
public static class BenchArgs
{
    public static bool Has(string[] args, string name) => Array.IndexOf(args, name) >= 0;

    public static int Int(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) ? v : fallback;
    }

    public static string? Str(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>--backend managed|openblas, or both (OpenBLAS only when it loads).</summary>
    public static GemmBackend[] Backends(string[] args) => Str(args, "--backend") switch
    {
        "managed" => [GemmBackend.Managed],
        "openblas" => [GemmBackend.OpenBlas],
        _ => Blas.OpenBlasAvailable ? [GemmBackend.Managed, GemmBackend.OpenBlas] : [GemmBackend.Managed],
    };

    public static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
