using System.CommandLine;
using System.Globalization;
using Elbo.Data.Tables;
using Elbo.Evaluation;
using Elbo.Evaluation.Quality;
using Elbo.Serialization;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>`elbo quality DIR`: how well synthetic rows match the training rows (SDMetrics' column shapes and column
/// pair trends) and how close they sit to them (distance to the closest record), for a run trained on a table.</summary>
internal static class QualityCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train --data FILE.csv|.parquet" };
        var synthetic = new Option<string?>("--synthetic") { Description = "synthetic rows to score (default: draw --rows from the model, written to DIR/synthetic.csv)" };
        var rows = new Option<int>("--rows") { Description = "rows to draw when --synthetic is not given", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<ulong>("--seed") { Description = "random seed of the drawn rows", DefaultValueFactory = _ => 1UL };
        var command = new Command("quality", "Score synthetic rows against the training rows with the SDMetrics definitions (column shapes, column pair trends, overall) and a privacy check (distance to the closest training row, against held-out rows); writes quality.json and two SVGs.")
            { dir, synthetic, rows, seed };
        command.SetAction(parse =>
        {
            string run = parse.GetValue(dir)!;
            using var claim = RunClaim.ForWriting(run, "elbo quality", run);
            var (config, model) = TrainedRun.Load(run);
            if (config.Table is not { } schema || config.TableOptions is not { } options)
                throw new ArgumentException($"{run}: quality scores synthetic table rows, and this run was trained on {config.Dataset}, not a table");
            int count = parse.GetValue(rows);
            if (count < 2) throw new ArgumentException($"--rows must be at least 2, got {count}");
            var (train, test) = TableDataSource.Rows(config.Dataset, options);
            Table fake;
            string? syntheticPath = parse.GetValue(synthetic);
            string? drawnPath = null;
            if (syntheticPath is not null)
            {
                fake = TableReader.Read(Path.GetFullPath(syntheticPath));
                schema.CheckColumns(new Table(fake.Source, fake.Columns.Where(c => schema.Find(c.Name) is not null).ToArray()));
            }
            else fake = TableSampling.Draw(model, schema, count, new Generator(parse.GetValue(seed)));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var real = QualityTables.From(schema, train);
            var synth = QualityTables.From(schema, fake);
            var result = QualityReport.Compute(real, synth, QualityTables.From(schema, test));
            string histograms = QualityFigures.Histograms(real, synth, result, "Real (training rows) against synthetic rows");
            string? correlations = QualityFigures.Correlations(result, "Correlations of the numeric columns");
            // everything computed: now the files, all or none
            using (var group = AtomicFile.Group())
            {
                if (syntheticPath is null)
                {
                    drawnPath = Path.Combine(run, RunFolder.Synthetic);
                    TableWriter.Write(fake, drawnPath);
                }
                QualityResultFile.Write(Path.Combine(run, RunFolder.Quality), result);
                AtomicFile.WriteAllText(Path.Combine(run, RunFolder.QualityHistograms), histograms);
                if (correlations is not null) AtomicFile.WriteAllText(Path.Combine(run, RunFolder.QualityCorrelations), correlations);
                group.Commit();
            }

            var ci = CultureInfo.InvariantCulture;
            stdout.WriteLine(string.Format(ci, "quality of {0:N0} synthetic rows against {1:N0} training rows ({2:F1} s): overall {3}, column shapes {4}, column pair trends {5}",
                fake.RowCount, train.RowCount, clock.Elapsed.TotalSeconds, Score(result.Score), Score(result.ColumnShapes), Score(result.ColumnPairTrends)));
            if (result.Privacy is { } p)
                stdout.WriteLine(string.Format(ci, "privacy: median distance to the closest training row {0} for synthetic rows, {1} for held-out rows; exact copies {2}{3}",
                    Score(p.SyntheticMedianDcr), Score(p.HoldoutMedianDcr), p.SyntheticExactMatches is { } e ? e.ToString("P1", ci) : "-",
                    p.Flagged ? $"; flagged: {p.FlagReason}" : ""));
            if (drawnPath is not null) stdout.WriteLine($"wrote {drawnPath}");
            stdout.WriteLine($"wrote {Path.Combine(run, RunFolder.Quality)}, {RunFolder.QualityHistograms}{(correlations is null ? "" : $" and {RunFolder.QualityCorrelations}")}");
            return ElboCommand.Ok;
        });
        return command;
    }

    private static string Score(double? v) => v is { } x ? x.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
