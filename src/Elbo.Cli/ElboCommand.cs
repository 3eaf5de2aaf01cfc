using System.CommandLine;
using System.CommandLine.Help;
using Elbo.Data;
using Elbo.Serialization;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>The `elbo` command: parsing, exit codes and one-line errors. Exit 0 on success, 2 on usage errors (bad
/// options, a run folder that is in the way or missing), 1 on other errors (missing or corrupt data or checkpoint,
/// a diverged run, I/O).</summary>
public static class ElboCommand
{
    /// <summary>The exit codes: success, another error, a usage error.</summary>
    public const int Ok = 0, Failure = 1, Usage = 2;

    /// <summary>Parses and runs <paramref name="args"/>, writing results to <paramref name="stdout"/> and errors to
    /// <paramref name="stderr"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // a rank other than 0 of a data-parallel `elbo train` prints nothing but errors of its own (rank 0 speaks for all)
        int follower = DistributedSetup.FollowerRank(args);
        if (follower > 0) stdout = TextWriter.Null;
        // A plain command named elbo rather than a RootCommand, whose name would be the assembly's (Elbo.Cli).
        var root = new Command("elbo", "Elbo: train, sample and understand variational autoencoders.");
        root.Options.Add(new HelpOption { Recursive = true });
        root.Options.Add(new VersionOption());
        root.Subcommands.Add(TrainCommand.Create(stdout));
        root.Subcommands.Add(SampleCommand.Create(stdout));
        root.Subcommands.Add(ReconstructCommand.Create(stdout));
        root.Subcommands.Add(EvalCommand.Create(stdout, stderr));
        root.Subcommands.Add(InterpolateCommand.Create(stdout));
        root.Subcommands.Add(TraverseCommand.Create(stdout));
        root.Subcommands.Add(EncodeCommand.Create(stdout));
        root.Subcommands.Add(PlotCommand.Create(stdout));
        root.Subcommands.Add(CompareCommand.Create(stdout));
        root.Subcommands.Add(ScoreCommand.Create(stdout));
        root.Subcommands.Add(QualityCommand.Create(stdout));
        root.Subcommands.Add(ImputeCommand.Create(stdout));
        root.Subcommands.Add(ReportCommand.Create(stdout));
        root.Subcommands.Add(ExportCommand.Create(stdout));
        root.Subcommands.Add(ServeCommand.Create(stdout, stderr));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // An unknown word says more than the missing command it also causes.
            var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            string message = $"{error.Message} (see elbo --help)";
            if (DistributedSetup.IsDistributedTrain(args)) return DistributedSetup.ReportUsageError(message, stderr);
            WriteError(stderr, message, follower);
            return Usage;
        }
        // An empty value ("--out ''", an empty DIR) is a usage error in the option's own words, before any command runs.
        foreach (var child in parse.CommandResult.Children)
        {
            if (child is System.CommandLine.Parsing.OptionResult { Implicit: false } o && o.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
            {
                string message = $"{o.Option.Name} needs a value, and an empty one was given";
                if (DistributedSetup.IsDistributedTrain(args)) return DistributedSetup.ReportUsageError(message, stderr);
                WriteError(stderr, message, follower);
                return Usage;
            }
            if (child is System.CommandLine.Parsing.ArgumentResult a && a.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
            {
                string message = $"{a.Argument.Name} needs a value, and an empty one was given";
                if (DistributedSetup.IsDistributedTrain(args)) return DistributedSetup.ReportUsageError(message, stderr);
                WriteError(stderr, message, follower);
                return Usage;
            }
        }
        try
        {
            var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            return parse.Invoke(config);
        }
        catch (Exception e)
        {
            return Report(e, stderr, follower);
        }
    }

    /// <summary>How long a rank other than 0 waits before it prints an error: when rank 0 meets the same error (the
    /// same command on the same data), rank 0 exits first, the launcher ends the other ranks, and the user reads one
    /// line; an error of that rank alone is printed after the wait, with its rank.</summary>
    internal static readonly TimeSpan FollowerGrace = TimeSpan.FromSeconds(3);

    /// <summary>How long a rank other than 0 waits, after an error every rank has alike, for rank 0 to report it and
    /// exit (the launcher then ends this rank).</summary>
    internal static readonly TimeSpan FollowerWait = TimeSpan.FromSeconds(20);

    private static void WriteError(TextWriter stderr, string message, int follower)
    {
        if (follower > 0)
        {
            Thread.Sleep(FollowerGrace);
            message = $"rank {follower}: {message}";
        }
        stderr.WriteLine("elbo: " + message);
    }

    /// <summary>Writes one line for <paramref name="e"/> and returns its exit code. On a rank other than 0
    /// (<paramref name="follower"/>) an error every rank has alike is left to rank 0, and one of its own is printed
    /// after <see cref="FollowerGrace"/> with the rank.</summary>
    internal static int Report(Exception e, TextWriter stderr, int follower = 0)
    {
        var (code, message) = Describe(e);
        if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        if (follower > 0 && DistributedSetup.IsCollective(e))
        {
            // rank 0 has the same error and reports it, perhaps after writing a checkpoint: this rank leaving first
            // would make the launcher end rank 0 before it is done, so it waits to be ended when rank 0 exits
            if (e is not LaunchException) Thread.Sleep(FollowerWait);
            return code;
        }
        WriteError(stderr, message, follower);
        if (Environment.GetEnvironmentVariable("ELBO_DEBUG") == "1") stderr.WriteLine(e);
        return code;
    }

    /// <summary>The exit code and the one-line message for <paramref name="e"/>.</summary>
    internal static (int Code, string Message) Describe(Exception e)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        int code = e switch
        {
            TrainingInterruptedException t => t.ExitCode,
            Training.Distributed.ReplicaMismatchException => Usage,
            ArgumentException or RunExistsException or RunNotFoundException or RunFolderInUseException => Usage,
            _ => Failure,
        };
        string message = e switch
        {
            SettingException s => $"{FlagOf(s.Setting)} {s.Problem}",
            Training.Distributed.ReplicaMismatchException or Mpi.MpiException => e.Message,
            DataNotFoundException or DataFormatException or CheckpointFormatException or TrainingDivergedException
                or Engine.Onnx.OnnxExportException or RunExistsException or RunNotFoundException or RunFolderInUseException or ArgumentException => e.Message,
            IOException or UnauthorizedAccessException or TrainingInterruptedException => e.Message,
            OperationCanceledException => "cancelled",
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        return (code, message.Split('\n')[0].TrimEnd());
    }

    /// <summary>The command-line wording of a library setting (config.json's camelCase name): <c>batchSize</c> →
    /// <c>--batch-size</c>; the input shape, which comes from the data, is named as such.</summary>
    internal static string FlagOf(string setting)
    {
        if (setting == "input") return "the data's input";
        var sb = new System.Text.StringBuilder("--");
        foreach (char ch in setting)
        {
            if (char.IsUpper(ch)) sb.Append('-').Append(char.ToLowerInvariant(ch));
            else sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>"400,200" → [400, 200]; throws ArgumentException naming the option.</summary>
    internal static int[] ParseList(string text, string option)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException($"{option} needs at least one size, got nothing");
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (Array.IndexOf(parts, "") is int empty and >= 0)
            throw new ArgumentException($"{option} takes positive integers separated by commas, and entry {empty + 1} of '{text}' is empty");
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out result[i]) || result[i] <= 0)
                throw new ArgumentException($"{option} takes positive integers separated by commas, got '{text}'");
        if (result.Length == 0) throw new ArgumentException($"{option} needs at least one size");
        return result;
    }
}
