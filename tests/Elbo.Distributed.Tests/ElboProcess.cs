using System.Diagnostics;
using System.Globalization;

namespace Elbo.Distributed.Tests;

/// <summary>Runs the built elbo command as real processes: alone (<c>dotnet Elbo.Cli.dll …</c>) or under MPICH's
/// launcher (<c>mpiexec.mpich -n N dotnet Elbo.Cli.dll …</c>), with output captured.</summary>
internal static class ElboProcess
{
    /// <summary>MPICH's launcher, installed by <c>bash scripts/setup.sh --mpi</c> (the test command asks for it).</summary>
    public const string Mpiexec = "/usr/bin/mpiexec.mpich";

    /// <summary>The elbo command's assembly, beside this test's.</summary>
    public static string Dll => typeof(Elbo.Cli.ElboCommand).Assembly.Location;

    /// <summary>A finished process: exit code and output.</summary>
    public sealed record Result(int Code, string Out, string Err, TimeSpan Elapsed);

    /// <summary><c>elbo args…</c> in one process.</summary>
    public static Result Alone(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 120) =>
        Wait(Start(["dotnet", Dll, .. args], environment), timeoutSeconds);

    /// <summary><c>mpiexec.mpich -n ranks elbo args…</c>.</summary>
    public static Result Ranks(int ranks, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 120) =>
        Wait(Start(MpiCommand(ranks, args), environment), timeoutSeconds);

    /// <summary>The mpiexec command line for <paramref name="ranks"/> ranks.</summary>
    public static List<string> MpiCommand(int ranks, IEnumerable<string> args)
    {
        if (!File.Exists(Mpiexec))
            throw new InvalidOperationException($"{Mpiexec} is missing: the distributed tests need MPICH (bash scripts/setup.sh --mpi installs it)");
        return [Mpiexec, "-n", ranks.ToString(CultureInfo.InvariantCulture), "dotnet", Dll, .. args];
    }

    /// <summary>Starts a command with redirected output; ELBO_GEMM=managed so every run computes with the same kernels
    /// (no calibration racing between ranks).</summary>
    public static Process Start(IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in command.Skip(1)) start.ArgumentList.Add(a);
        start.Environment["ELBO_GEMM"] = "managed";
        start.Environment.Remove("OMPI_COMM_WORLD_SIZE");
        start.Environment.Remove("PMI_SIZE");
        start.Environment.Remove("PMI_RANK");
        if (environment is not null)
            foreach (var (k, v) in environment) start.Environment[k] = v;
        return Process.Start(start)!;
    }

    /// <summary>Waits for <paramref name="process"/> (killing it and its children past the timeout, which fails).</summary>
    public static Result Wait(Process process, int timeoutSeconds)
    {
        var clock = Stopwatch.StartNew();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"the command did not end within {timeoutSeconds} s; output: {stdout.Result} {stderr.Result}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }

    /// <summary>The pids of the elbo processes (ranks) that are children of <paramref name="launcher"/>'s tree.</summary>
    public static List<int> RankPids(Process launcher)
    {
        var result = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmd.StartsWith("dotnet ", StringComparison.Ordinal) && cmd.Contains(Dll, StringComparison.Ordinal) && Descends(pid, launcher.Id)) result.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return result;
    }

    private static bool Descends(int pid, int ancestor)
    {
        for (int p = pid, hops = 0; p > 1 && hops < 10; hops++)
        {
            if (p == ancestor) return true;
            string stat = File.ReadAllText($"/proc/{p}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            p = int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        return false;
    }

    /// <summary>Sends <paramref name="signal"/> (KILL, STOP, INT, …) to <paramref name="pid"/>.</summary>
    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
