using System.CommandLine;
using Elbo.Reporting;

namespace Elbo.Cli;

/// <summary>`elbo report DIR`: the run folder as one self-contained HTML page.</summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train" };
        var output = new Option<string?>("--out") { Description = "HTML file to write (default DIR/report.html)" };
        var refresh = new Option<bool>("--refresh") { Description = "remake every picture and eval.json, not only the missing ones" };
        var noCompute = new Option<bool>("--no-compute") { Description = "only assemble the files already in DIR" };
        var k = new Option<int>("--k") { Description = "importance samples per example when eval.json is made", DefaultValueFactory = _ => 100 };
        var n = new Option<int>("--n") { Description = "test examples evaluated when eval.json is made", DefaultValueFactory = _ => 1000 };
        var command = new Command("report",
            "Write a self-contained HTML report of a run: configuration, metrics, curves, pictures and evaluation figures. " +
            "Pictures and eval.json missing from DIR are made first (elbo plot, interpolate, traverse, eval with their defaults).")
            { dir, output, refresh, noCompute, k, n };
        command.SetAction(parse =>
        {
            string run = parse.GetValue(dir)!;
            string? file = parse.GetValue(output);
            if (file != null && (file.Length == 0 || Directory.Exists(file) || Path.EndsInDirectorySeparator(file)))
                throw new ArgumentException($"--out takes a file name, got '{file}'");
            int samples = parse.GetValue(k), examples = parse.GetValue(n);
            if (samples <= 0) throw new ArgumentException($"--k must be positive, got {samples}");
            if (examples <= 0) throw new ArgumentException($"--n must be positive, got {examples}");
            using var claim = RunClaim.ForWriting(run, "elbo report", parse.GetValue(noCompute) ? file ?? run : run);
            if (!parse.GetValue(noCompute))
                foreach (string line in ReportInputs.Make(run, new ReportInputOptions { EvalK = samples, EvalExamples = examples }, parse.GetValue(refresh)))
                    stdout.WriteLine($"wrote {line}");
            string written = RunReport.Write(run, file);
            stdout.WriteLine($"wrote the report to {written}");
            return ElboCommand.Ok;
        });
        return command;
    }
}
