using System.CommandLine;
using Elbo.Evaluation;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>`elbo interpolate DIR --from I --to J`: decodes the path between the codes of two test examples.</summary>
internal static class InterpolateCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train" };
        var from = new Option<string>("--from") { Description = "test example(s) to start from, e.g. 0 or 0,5", Required = true };
        var to = new Option<string>("--to") { Description = "test example(s) to end at, one per --from", Required = true };
        var steps = new Option<int>("--steps") { Description = "decoded points per row, endpoints included", DefaultValueFactory = _ => 10 };
        var slerp = new Option<bool>("--slerp") { Description = "follow the great circle (spherical interpolation) instead of the line" };
        var output = new Option<string?>("--out") { Description = "PNG file to write (default DIR/interpolation.png)" };
        var data = new Option<string?>("--data") { Description = "the data (default: the run's)" };
        var command = new Command("interpolate",
            "Decode the path between the codes μ of test examples I and J: input I, the decoded points, input J.")
            { dir, from, to, steps, slerp, output, data };
        command.SetAction(parse =>
        {
            var starts = IndexList.Parse(parse.GetValue(from)!, "--from");
            var ends = IndexList.Parse(parse.GetValue(to)!, "--to");
            if (starts.Length != ends.Length)
                throw new ArgumentException($"--from has {starts.Length} examples but --to has {ends.Length}: give one end per start");
            int n = parse.GetValue(steps);
            if (n < 2) throw new ArgumentException($"--steps must be at least 2, got {n}");
            string run = parse.GetValue(dir)!;
            using var claim = RunClaim.ForWriting(run, "elbo interpolate", parse.GetValue(output) ?? run);
            var (config, model) = TrainedRun.Load(run);
            var test = TrainedRun.LoadData(config, parse.GetValue(data)).Test;
            var pairs = new (int, int)[starts.Length];
            for (int p = 0; p < pairs.Length; p++)
            {
                foreach (var (option, i) in new[] { ("--from", starts[p]), ("--to", ends[p]) })
                    if (i >= test.Count) throw new ArgumentException($"{option} {i} is outside the test data (0..{test.Count - 1})");
                pairs[p] = (starts[p], ends[p]);
            }
            bool spherical = parse.GetValue(slerp);
            var image = Interpolation.Picture(model, test, pairs, n, spherical);
            string path = parse.GetValue(output) ?? Path.Combine(run, Reporting.ReportPiece.Interpolation.FileName);
            image.Save(path);
            for (int p = 0; p < pairs.Length; p++)
                stdout.WriteLine($"row {p + 1}: test {starts[p]}{Label(test, starts[p])} -> test {ends[p]}{Label(test, ends[p])}");
            stdout.WriteLine($"wrote {pairs.Length} row(s) of {n} {(spherical ? "slerp" : "linear")} steps between input columns to {path}");
            return ElboCommand.Ok;
        });
        return command;
    }

    private static string Label(Data.Dataset data, int i) => data.HasLabels ? $" (label {data.Label(i)})" : "";
}
