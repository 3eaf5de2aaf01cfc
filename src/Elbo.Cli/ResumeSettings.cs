using System.CommandLine;
using System.Globalization;
using Elbo.Objectives;
using Elbo.Serialization;

namespace Elbo.Cli;

/// <summary>
/// What `elbo train --resume` may change. A resumed run continues the stored one exactly, so every setting that shapes
/// the model, the data, the objective or the random stream is the run's: given again on the command line it must say
/// the same (repeating the first command with --resume added is fine), and a different value is refused with the list
/// of differences rather than silently ignored. Three settings may change: <c>--epochs</c> (the total to reach),
/// <c>--lr</c> (lowering the learning rate to fine-tune is common practice; Adam's moments stay valid, and config.json
/// records the new rate) and <c>--threads</c> (speed only, though the float reduction order, and with it the last bits
/// of the result, follow the thread count); <c>--cache-dir</c> and <c>--no-report</c> do not touch the run.
/// </summary>
internal sealed class ResumeSettings
{
    private readonly List<(Option Option, Func<RunConfig, string?> Value)> _fixed = [];

    /// <summary>Declares <paramref name="option"/> fixed by the run, read from a configuration by <paramref name="value"/>.</summary>
    public ResumeSettings Fixed(Option option, Func<RunConfig, string?> value)
    {
        _fixed.Add((option, value));
        return this;
    }

    /// <summary>Throws an ArgumentException (a usage error) listing every fixed option given on the command line
    /// (<paramref name="parse"/>) whose value in <paramref name="given"/> differs from the run's (<paramref name="run"/>).</summary>
    public void Check(ParseResult parse, RunConfig given, RunConfig run, string outDir)
    {
        var differences = new List<string>();
        foreach (var (option, value) in _fixed)
        {
            if (parse.GetResult(option) is not { Implicit: false }) continue;
            string? mine = value(given), theirs = value(run);
            if (!string.Equals(mine, theirs, StringComparison.Ordinal))
                differences.Add($"{option.Name} {Show(mine)} (the run has {Show(theirs)})");
        }
        if (differences.Count > 0)
            throw new ArgumentException(
                $"--resume continues {outDir} with its own settings, and these differ from them: {string.Join(", ", differences)}; " +
                "only --epochs, --lr and --threads may change on resume (start a new run with another --out, or --force, to change the rest)");
    }

    private static string Show(string? value) => string.IsNullOrEmpty(value) ? "none" : value;

    /// <summary>A list setting as the command line writes it.</summary>
    public static string List<T>(IEnumerable<T>? values) =>
        values is null ? "" : string.Join(",", values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));

    /// <summary>A number as the command line writes it.</summary>
    public static string Number<T>(T? value) where T : struct, IFormattable =>
        value is { } v ? v.ToString(null, CultureInfo.InvariantCulture) : "";

    /// <summary>The KL estimator's command-line name.</summary>
    public static string Kl(KlEstimator kl) => KlEstimators.Name(kl);
}
