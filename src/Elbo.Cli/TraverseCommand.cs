using System.CommandLine;
using System.Globalization;
using Elbo.Evaluation;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>`elbo traverse DIR`: one row per latent dimension, sweeping it around a test example's code.</summary>
internal static class TraverseCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train" };
        var dims = new Option<string?>("--dims") { Description = "latent dimensions to sweep, e.g. 0,3,5 (default: the most informative)" };
        var maxDims = new Option<int>("--max-dims") { Description = "rows when --dims is not given", DefaultValueFactory = _ => Traversal.DefaultMaxDimensions };
        var range = new Option<float>("--range") { Description = "sweep z_u over [-range, range]", DefaultValueFactory = _ => 3f };
        var steps = new Option<int>("--steps") { Description = "values per sweep (columns)", DefaultValueFactory = _ => 11 };
        var index = new Option<int>("--index") { Description = "the test example whose code μ fixes the other dimensions", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "PNG file to write (default DIR/traversal.png)" };
        var data = new Option<string?>("--data") { Description = "the data (default: the run's)" };
        var command = new Command("traverse",
            "Sweep latent dimensions one at a time around a test example's code: one row per dimension, most informative first.")
            { dir, dims, maxDims, range, steps, index, output, data };
        command.SetAction(parse =>
        {
            int[]? chosen = parse.GetValue(dims) is string text ? IndexList.Parse(text, "--dims") : null;
            int rows = parse.GetValue(maxDims), n = parse.GetValue(steps), at = parse.GetValue(index);
            float r = parse.GetValue(range);
            if (rows < 1) throw new ArgumentException($"--max-dims must be positive, got {rows}");
            Traversal.Values(r, n); // checks --range and --steps
            if (at < 0) throw new ArgumentException($"--index must not be negative, got {at}");
            string run = parse.GetValue(dir)!;
            using var claim = RunClaim.ForWriting(run, "elbo traverse", parse.GetValue(output) ?? run);
            var (config, model) = TrainedRun.Load(run);
            var test = TrainedRun.LoadData(config, parse.GetValue(data)).Test;
            if (at >= test.Count) throw new ArgumentException($"--index {at} is outside the test data (0..{test.Count - 1})");
            var codes = LatentCodes.Encode(model, test, Traversal.RankingExamples);
            var described = Traversal.Rows(codes, chosen, rows);
            var swept = Array.ConvertAll(described, d => d.Dimension);
            if (config.Table is { } schema)
            {
                // a table run: the decoded rows along each sweep, as a table
                string file = parse.GetValue(output) ?? Path.Combine(run, "traversal.csv");
                if (!Data.Tables.TableReader.IsTableFile(file)) throw new ArgumentException($"--out {file}: a table run writes .csv, .tsv or .parquet");
                Data.Tables.TableWriter.Write(TableTraversal.Rows(model, schema, test, swept, r, n, at), file);
                for (int i = 0; i < described.Length; i++) stdout.WriteLine(described[i].Describe(i + 1));
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {described.Length * n} decoded rows ({described.Length} dimension(s) × {n} values from {-r} to {r}) around test row {at} to {file}"));
                return ElboCommand.Ok;
            }
            var image = Traversal.Picture(model, test, swept, r, n, at);
            string path = parse.GetValue(output) ?? Path.Combine(run, Reporting.ReportPiece.Traversal.FileName);
            image.Save(path);
            for (int i = 0; i < described.Length; i++) stdout.WriteLine(described[i].Describe(i + 1));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {described.Length} row(s) of {n} values from {-r} to {r} around test example {at} to {path} (information over the first {codes.Count} test examples)"));
            return ElboCommand.Ok;
        });
        return command;
    }
}
