using System.Diagnostics;
using System.Globalization;
using Elbo.Mpi;

namespace Elbo.Bench;

/// <summary>The gradient Allreduce alone (run under <c>mpiexec.mpich -n R</c>): N floats summed across the ranks with
/// Elbo's MPI process group, 5 warm-up rounds, then 30 timed ones, each after a one-float Allreduce that lines the
/// ranks up so the time is the transfer's and not a wait for a late rank. Rank 0 prints the median time and the
/// algorithm bandwidth (bytes of the buffer per second).</summary>
internal static class AllreduceBench
{
    public static void Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 652_824;
        using var group = MpiProcessGroup.Start(TimeSpan.FromSeconds(60), Console.Error);
        var buffer = new float[n];
        var sync = new float[1];
        var times = new List<double>();
        for (int round = 0; round < 35; round++)
        {
            buffer.AsSpan().Fill(1f);
            group.Sum(sync);
            long start = Stopwatch.GetTimestamp();
            group.Sum(buffer);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (round >= 5) times.Add(seconds);
            if (buffer[0] != group.Size) throw new InvalidOperationException($"allreduce: got {buffer[0]}, expected {group.Size}");
        }
        times.Sort();
        double median = times[times.Count / 2];
        if (group.Rank == 0)
            Console.WriteLine(FormattableString.Invariant($"{n:N0} floats ({n * 4 / 1e6:F2} MB) on {group.Size} ranks: median {median * 1000:F2} ms, {n * 4 / median / 1e9:F2} GB/s"));
        group.Finish();
    }
}
