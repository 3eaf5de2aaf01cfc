using System.CommandLine;
using Elbo.Data.Tables;
using Elbo.Evaluation;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>`elbo impute DIR --data FILE --out FILE`: fills a table's missing cells from the model, by importance
/// sampling of E[x_missing | x_observed] as MIWAE does (see <see cref="Imputation"/>).</summary>
internal static class ImputeCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train --data FILE.csv|.parquet" };
        var data = new Option<string>("--data") { Description = "the table with missing cells (the run's columns)", Required = true };
        var output = new Option<string>("--out") { Description = "the filled table to write (.csv, .tsv or .parquet)", Required = true };
        var k = new Option<int>("--k") { Description = "importance samples per row", DefaultValueFactory = _ => 100 };
        var seed = new Option<ulong>("--seed") { Description = "random seed", DefaultValueFactory = _ => 1UL };
        var command = new Command("impute", "Fill the missing cells of a table from the model: the importance-weighted conditional mean given the observed cells (MIWAE); observed cells and other columns are kept as they are.")
            { dir, data, output, k, seed };
        command.SetAction(parse =>
        {
            int kValue = parse.GetValue(k);
            if (kValue < 1) throw new ArgumentException($"--k must be at least 1, got {kValue}");
            string run = parse.GetValue(dir)!, outPath = parse.GetValue(output)!;
            using var claim = RunClaim.ForWriting(run, "elbo impute", outPath);
            var (config, model) = TrainedRun.Load(run);
            if (config.Table is not { } schema)
                throw new ArgumentException($"{run}: impute fills table cells, and this run was trained on {config.Dataset}, not a table");
            if (!TableReader.IsTableFile(outPath)) throw new ArgumentException($"--out {outPath}: write .csv, .tsv or .parquet");
            var table = TableReader.Read(Path.GetFullPath(parse.GetValue(data)!));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var filled = Imputation.FillMissing(model, schema, table, kValue, new Generator(parse.GetValue(seed)));
            TableWriter.Write(filled, outPath);
            var counts = schema.Columns.Where(c => c.IsEncoded).Select(c => (c.Name, Missing: table[c.Name].MissingCount())).Where(c => c.Missing > 0).ToArray();
            stdout.WriteLine($"filled {counts.Sum(c => c.Missing):N0} missing cells of {table.RowCount:N0} rows (k = {kValue}, {clock.Elapsed.TotalSeconds:F1} s)" +
                (counts.Length > 0 ? ": " + string.Join(", ", counts.Select(c => $"{c.Name} {c.Missing:N0}")) : ""));
            stdout.WriteLine($"wrote {outPath}");
            return ElboCommand.Ok;
        });
        return command;
    }
}
