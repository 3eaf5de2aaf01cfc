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
            stderr.WriteLine($"elbo: {error.Message} (see elbo --help)");
            return Usage;
        }
        // An empty value ("--out ''", an empty DIR) is a usage error in the option's own words, before any command runs.
        foreach (var child in parse.CommandResult.Children)
        {
            if (child is System.CommandLine.Parsing.OptionResult { Implicit: false } o && o.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
            {
                stderr.WriteLine($"elbo: {o.Option.Name} needs a value, and an empty one was given");
                return Usage;
            }
            if (child is System.CommandLine.Parsing.ArgumentResult a && a.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
            {
                stderr.WriteLine($"elbo: {a.Argument.Name} needs a value, and an empty one was given");
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
            return Report(e, stderr);
        }
    }

    /// <summary>Writes one line for <paramref name="e"/> and returns its exit code.</summary>
    internal static int Report(Exception e, TextWriter stderr)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        int code = e switch
        {
            TrainingInterruptedException t => t.ExitCode,
            ArgumentException or RunExistsException or RunNotFoundException or RunFolderInUseException => Usage,
            _ => Failure,
        };
        string message = e switch
        {
            SettingException s => $"{FlagOf(s.Setting)} {s.Problem}",
            DataNotFoundException or DataFormatException or CheckpointFormatException or TrainingDivergedException
                or Engine.Onnx.OnnxExportException or RunExistsException or RunNotFoundException or RunFolderInUseException or ArgumentException => e.Message,
            IOException or UnauthorizedAccessException or TrainingInterruptedException => e.Message,
            OperationCanceledException => "cancelled",
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        stderr.WriteLine("elbo: " + message.Split('\n')[0].TrimEnd());
        if (Environment.GetEnvironmentVariable("ELBO_DEBUG") == "1") stderr.WriteLine(e);
        return code;
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
