using System.CommandLine;
using Elbo.Mpi;
using Elbo.Training.Distributed;

namespace Elbo.Cli;

/// <summary>
/// <c>elbo train</c> across processes: the <c>--distributed</c> and <c>--distributed-timeout</c> options, starting
/// MPI when an MPICH launcher (<c>mpiexec.mpich</c>, Slurm's PMI) started several processes, and the one-line errors
/// for the launches that cannot work (Open MPI's mpirun, MPICH missing, <c>--distributed on</c> without a launcher).
/// Rank 0 writes; the other ranks print nothing but their own errors (see <see cref="FollowerRank"/>).
/// </summary>
internal static class DistributedSetup
{
    /// <summary>The default of <c>--distributed-timeout</c>, seconds.</summary>
    public const double DefaultTimeout = 120;

    /// <summary>The <c>--distributed</c> option.</summary>
    public static Option<string> ModeOption() => new("--distributed")
    {
        Description = "auto | on | off: train data-parallel over the processes an MPI launcher started (mpiexec.mpich -n N ./elbo train …, or srun --mpi=pmi2); auto: when it started more than one; off: ignore the launch",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>The <c>--distributed-timeout</c> option.</summary>
    public static Option<double> TimeoutOption() => new("--distributed-timeout")
    {
        Description = "seconds a rank waits for the others in one exchange before it stops the run with an error (a rank died or hangs)",
        DefaultValueFactory = _ => DefaultTimeout,
    };

    /// <summary>The process group of this run: null for one process (no launch, one rank, or <c>off</c>), else MPI
    /// started. Throws ArgumentException for a launch that cannot work, <see cref="MpiException"/> when MPICH does
    /// not load.</summary>
    public static MpiProcessGroup? Start(string mode, double timeoutSeconds, TextWriter stderr)
    {
        if (mode is not ("auto" or "on" or "off")) throw new ArgumentException($"--distributed takes auto | on | off, got '{mode}'");
        if (!(timeoutSeconds > 0) || double.IsInfinity(timeoutSeconds))
            throw new ArgumentException($"--distributed-timeout must be a positive number of seconds, got {timeoutSeconds}");
        if (mode == "off") return null;
        var launch = MpiLaunch.Detect();
        if (launch.Launcher == Launcher.OpenMpi)
            throw new LaunchException("this process was started by Open MPI's mpirun (OMPI_COMM_WORLD_SIZE is set), and Elbo's MPI support runs on MPICH (another ABI): launch with mpiexec.mpich -n N, or pass --distributed off");
        if (launch.Launcher == Launcher.None)
        {
            if (mode == "on") throw new ArgumentException("--distributed on: no MPI launcher started this process; run mpiexec.mpich -n N ./elbo train … (or srun --mpi=pmi2 under Slurm)");
            return null;
        }
        if (!launch.IsParallel && mode == "auto") return null;
        return MpiProcessGroup.Start(TimeSpan.FromSeconds(timeoutSeconds), stderr);
    }

    /// <summary>The threads each rank uses when <c>--threads 0</c> and <c>ELBO_NUM_THREADS</c> leave it open: the
    /// cores shared among the ranks on this host (so two ranks on two cores take one each, not two).</summary>
    public static int ThreadsPerRank() => Math.Max(1, Environment.ProcessorCount / Math.Max(1, MpiLaunch.Detect().LocalRanks));

    /// <summary>This process's rank when it is one of several that an MPI launcher started for <c>elbo train</c>
    /// (without <c>--distributed off</c>), else 0. Known from the environment before parsing, so a rank other than 0
    /// can stay silent from the start: rank 0 prints the output and the errors every rank has alike.</summary>
    public static int FollowerRank(string[] args) => IsDistributedTrain(args) ? MpiLaunch.Detect().Rank : 0;

    /// <summary>Whether <paramref name="args"/> are an <c>elbo train</c> that an MPI launcher started several times
    /// (and <c>--distributed off</c> is not among them).</summary>
    public static bool IsDistributedTrain(string[] args)
    {
        if (args.Length == 0 || args[0] != "train") return false;
        for (int i = 1; i < args.Length; i++)
            if (args[i] == "--distributed=off" || (args[i] == "--distributed" && i + 1 < args.Length && args[i + 1] == "off")) return false;
        return MpiLaunch.Detect().IsParallel;
    }

    /// <summary>The ranks' first exchange: each sends the options it was given, one per line, or the usage error it
    /// met reading them (<paramref name="error"/>). A rank's error, or options that differ from rank 0's, throw on
    /// every rank a <see cref="ReplicaMismatchException"/> that rank 0 alone prints: its own error, else "rank r:
    /// error", else the first option that differs.</summary>
    public static void AgreeOnStart(IProcessGroup group, IReadOnlyList<string> lines, string? error = null)
    {
        if (group.Size == 1)
        {
            if (error is not null) throw new ArgumentException(error);
            return;
        }
        const char ErrorMark = '\u0001';
        var all = group.Gather(System.Text.Encoding.UTF8.GetBytes(error is null ? string.Join('\n', lines) : ErrorMark + error));
        var texts = all.Select(b => System.Text.Encoding.UTF8.GetString(b)).ToList();
        for (int r = 0; r < texts.Count; r++)
            if (texts[r].StartsWith(ErrorMark))
                throw new ReplicaMismatchException(r == 0 ? texts[r][1..] : $"rank {r}: {texts[r][1..]}");
        Replicas.Compare("options", [.. texts.Select(t => t.Split('\n'))]);
    }

    /// <summary>A usage error met while parsing a distributed <c>elbo train</c> (before the command runs): every rank
    /// starts MPI and joins the first exchange with it, so rank 0 prints one line for all. Returns the exit code
    /// (usage), having printed nothing when MPI cannot start (that error is printed instead).</summary>
    public static int ReportUsageError(string message, TextWriter stderr)
    {
        try
        {
            using var mpi = Start("auto", DefaultTimeout, stderr);
            AgreeOnStart(mpi is null ? SingleProcess.Instance : mpi, [], message);
        }
        catch (Exception e)
        {
            return ElboCommand.Report(e, stderr, MpiLaunch.Detect().Rank);
        }
        return ElboCommand.Usage;
    }

    /// <summary>The options as given (one line each, defaults marked), for the ranks' first check that they run the
    /// same command. <c>--threads</c> may differ by host and is left out.</summary>
    public static List<string> OptionLines(ParseResult parse, Command command)
    {
        var lines = new List<string>();
        foreach (var option in command.Options)
        {
            if (option.Name is "--threads" or "--help" or "-h") continue;
            var result = parse.GetResult(option);
            string value = result is null || result.Implicit ? "(default)"
                : result.Tokens.Count == 0 ? "(given)" : string.Join(' ', result.Tokens.Select(t => t.Value));
            lines.Add($"{option.Name} {value}");
        }
        return lines;
    }

    /// <summary>Whether every rank raises <paramref name="e"/> alike (rank 0 reports it; the others stay silent): the
    /// agreed errors and stops, and a launch every rank sees in its environment (Open MPI's).</summary>
    public static bool IsCollective(Exception e) =>
        e is ReplicaMismatchException or LaunchException or Training.TrainingDivergedException or Training.TrainingStoppedException or TrainingInterruptedException;
}

/// <summary>A launch that cannot work, the same for every rank (a usage error).</summary>
internal sealed class LaunchException(string message) : ArgumentException(message)
{
}
