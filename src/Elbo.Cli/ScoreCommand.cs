using System.CommandLine;
using System.Globalization;
using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Evaluation;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>`elbo score DIR`: how unlikely each example is under the model (anomaly scores), with a threshold set by a
/// contamination rate and, where it is known which rows are anomalies, ROC-AUC and PR-AUC.</summary>
internal static class ScoreCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train" };
        var data = new Option<string?>("--data") { Description = "the rows to score: a table file with the run's columns (default: the run's test split)" };
        var output = new Option<string?>("--out") { Description = "scores file, .csv/.tsv/.parquet (default DIR/scores.csv)" };
        var k = new Option<int>("--k") { Description = "importance samples per example for −log p(x)", DefaultValueFactory = _ => 100 };
        var contamination = new Option<double?>("--contamination") { Description = "the expected share of anomalies: the threshold is that upper quantile of the training rows' scores, and rows above it are marked" };
        var label = new Option<string?>("--label") { Description = "a table column that says which rows are anomalies (for ROC-AUC and PR-AUC; left out of the scoring)" };
        var positive = new Option<string?>("--positive") { Description = "the --label value(s) that mark an anomaly, comma-separated (default: 1, true, yes, anomaly, outlier, else the rarest value); for labelled image data the classes that count as anomalies" };
        var seed = new Option<ulong>("--seed") { Description = "random seed", DefaultValueFactory = _ => 1UL };
        var command = new Command("score", "Score examples by the model's evidence: −ELBO and importance-weighted −log p(x) per example (higher: more anomalous), the column that contributes most (tables), a contamination threshold, and ROC-AUC/PR-AUC against known anomalies.")
            { dir, data, output, k, contamination, label, positive, seed };
        command.SetAction(parse =>
        {
            int kValue = parse.GetValue(k);
            if (kValue < 1) throw new ArgumentException($"--k must be at least 1, got {kValue}");
            string run = parse.GetValue(dir)!;
            using var claim = RunClaim.ForWriting(run, "elbo score", parse.GetValue(output) ?? Path.Combine(run, "scores.csv"));
            var (config, model) = TrainedRun.Load(run);
            GemmSetup.ApplyForInference(model);              // the faster GEMM for this model's encode and decode
            string path = parse.GetValue(output) ?? Path.Combine(run, "scores.csv");
            if (!TableReader.IsTableFile(path)) throw new ArgumentException($"--out {path}: write .csv, .tsv or .parquet");
            string? labelColumn = parse.GetValue(label);
            string? dataPath = parse.GetValue(data);
            Dataset rows;
            bool[]? isAnomaly = null;
            string positives = "";
            if (dataPath is not null && config.Table is { } schema && DataSource.IsTable(dataPath))
            {
                var table = TableReader.Read(Path.GetFullPath(dataPath));
                if (labelColumn is not null)
                {
                    var column = table.Find(labelColumn) ?? throw new ArgumentException($"--label {labelColumn} is not a column of {dataPath}");
                    (isAnomaly, positives) = Positives(column, parse.GetValue(positive));
                    table = new Table(table.Source, table.Columns.Where(c => c.Name != labelColumn).ToArray());
                }
                rows = TableDataSource.FromTable(table, schema, Path.GetFileNameWithoutExtension(dataPath));
            }
            else
            {
                if (labelColumn is not null) throw new ArgumentException("--label names a column of a table file given with --data");
                rows = TrainedRun.LoadData(config, dataPath).Test;
                if (parse.GetValue(positive) is { } classes)
                {
                    if (!rows.HasLabels) throw new ArgumentException($"--positive: the data {rows.Name} have no labels");
                    var chosen = IndexList.Parse(classes, "--positive").ToHashSet();
                    isAnomaly = rows.Labels.ToArray().Select(l => chosen.Contains(l)).ToArray();
                    positives = $"classes {classes}";
                }
            }
            var scores = ExampleScores.Compute(model, rows, kValue, parse.GetValue(seed));
            var columns = new List<TableColumn>
            {
                TableColumn.FromNumbers("index", Enumerable.Range(0, rows.Count).Select(i => (double)i).ToArray(), true),
                TableColumn.FromNumbers("neg_elbo", scores.NegElbo),
            };
            if (scores.NegLogPx is { } nlp) columns.Add(TableColumn.FromNumbers("neg_log_px", nlp));
            if (config.Table is { } s2)
            {
                var terms = ColumnContributions.Compute(model, rows);
                var largest = ColumnContributions.Largest(terms, s2.Encoded.Count);
                columns.Add(TableColumn.FromStrings("top_column", largest.Select(c => (string?)s2.Encoded[c].Name).ToArray()));
            }
            double? threshold = null;
            if (parse.GetValue(contamination) is { } c)
            {
                var train = TrainedRun.LoadData(config).Train;
                var trainScores = ExampleScores.Compute(model, train, kValue, parse.GetValue(seed) + 1, count: 10_000).Score;
                threshold = AnomalyMetrics.Threshold(trainScores, c);
                columns.Add(TableColumn.FromNumbers("anomaly", scores.Score.Select(v => v > threshold ? 1.0 : 0.0).ToArray(), true));
            }
            if (isAnomaly is not null) columns.Add(TableColumn.FromNumbers("is_anomaly", isAnomaly.Select(a => a ? 1.0 : 0.0).ToArray(), true));
            TableWriter.Write(new Table("scores", columns), path);

            var ci = CultureInfo.InvariantCulture;
            var sorted = scores.Score.Order().ToArray();
            stdout.WriteLine(string.Format(ci, "scored {0:N0} examples of {1} by {2} (k = {3}): median {4:F2}, 95th percentile {5:F2} nats",
                rows.Count, rows.Name, scores.ScoreName, kValue, sorted[sorted.Length / 2], sorted[(int)(0.95 * (sorted.Length - 1))]));
            if (threshold is { } t)
                stdout.WriteLine(string.Format(ci, "threshold {0:F2} (the {1:P1} upper tail of the training scores): {2:N0} rows marked", t, parse.GetValue(contamination), scores.Score.Count(v => v > t)));
            if (isAnomaly is not null)
            {
                int count = isAnomaly.Count(a => a);
                stdout.WriteLine(string.Format(ci, "anomalies ({0}): {1:N0} of {2:N0}; ROC-AUC {3:F4}, PR-AUC {4:F4} (chance {5:F4})", positives, count, rows.Count,
                    AnomalyMetrics.RocAuc(scores.Score, isAnomaly), AnomalyMetrics.AveragePrecision(scores.Score, isAnomaly), (double)count / rows.Count));
            }
            stdout.WriteLine($"wrote {path}");
            return ElboCommand.Ok;
        });
        return command;
    }

    // Which rows a label column marks as anomalies: the values given, else a conventional marker, else the rarest value.
    private static (bool[] IsAnomaly, string Which) Positives(TableColumn column, string? given)
    {
        var values = Enumerable.Range(0, column.Count).Select(i => column.Text(i)).ToArray();
        HashSet<string> chosen;
        if (given is not null) chosen = given.Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        else
        {
            string[] markers = ["1", "true", "yes", "anomaly", "outlier"];
            var present = values.Where(v => v is not null).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            var marker = markers.FirstOrDefault(m => present.Contains(m, StringComparer.OrdinalIgnoreCase));
            chosen = marker is not null ? [marker]
                : [present.GroupBy(v => v, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Count()).First().Key!];
            chosen = new HashSet<string>(chosen, StringComparer.OrdinalIgnoreCase);
        }
        var isAnomaly = values.Select(v => v is not null && chosen.Contains(v)).ToArray();
        if (!isAnomaly.Any(a => a)) throw new ArgumentException($"--label {column.Name}: no row has the value {string.Join(" or ", chosen)}");
        return (isAnomaly, $"{column.Name} = {string.Join(" or ", chosen)}");
    }
}
