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
        var command = new Command("report", "Write a self-contained HTML report of a run: configuration, metrics, curves, pictures and evaluation figures.") { dir, output };
        command.SetAction(parse =>
        {
            string run = parse.GetValue(dir)!;
            string? file = parse.GetValue(output);
            if (file != null && (file.Length == 0 || Directory.Exists(file) || Path.EndsInDirectorySeparator(file)))
                throw new ArgumentException($"--out takes a file name, got '{file}'");
            string written = RunReport.Write(run, file);
            stdout.WriteLine($"wrote the report to {written}");
            return ElboCommand.Ok;
        });
        return command;
    }
}
