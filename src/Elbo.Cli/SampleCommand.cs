using Elbo.Data;
using System.CommandLine;
using Elbo.Engine.Autograd;
using Elbo.Imaging;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>`elbo sample DIR`: decodes z ~ N(0, I) into a PNG grid, or for a table run into synthetic rows (CSV or
/// Parquet).</summary>
internal static class SampleCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train" };
        var n = new Option<int>("--n") { Description = "number of samples (a conditional model without --label: shared out among the classes, one row each)", DefaultValueFactory = _ => 64 };
        var output = new Option<string>("--out") { Description = "PNG file to write (a table run: .csv, .tsv or .parquet)", Required = true };
        var rows = new Option<int?>("--rows") { Description = "a table run: synthetic rows to write (default 1,000)" };
        var clip = new Option<bool>("--clip") { Description = "a table run: keep numeric values within the training range" };
        var missing = new Option<bool>("--missing") { Description = "a table run: leave values missing at each column's training rate" };
        var seed = new Option<ulong>("--seed") { Description = "random seed", DefaultValueFactory = _ => 1UL };
        var label = new Option<string?>("--label") { Description = "the class to draw, by number or name (a conditional model only; default: one row per class)" };
        var command = new Command("sample", "Decode draws from the prior N(0, I) into a PNG grid (means of p(x|z)).") { dir, n, output, seed, label, rows, clip, missing };
        command.SetAction(parse =>
        {
            int count = parse.GetValue(n);
            if (count <= 0) throw new ArgumentException($"--n must be positive, got {count}");
            using var claim = RunClaim.ForWriting(parse.GetValue(dir)!, "elbo sample", parse.GetValue(output));
            var (config, model) = TrainedRun.Load(parse.GetValue(dir)!);
            if (config.Table is { } schema)
            {
                int rowCount = parse.GetValue(rows) ?? 1000;
                if (rowCount <= 0) throw new ArgumentException($"--rows must be positive, got {rowCount}");
                string path = parse.GetValue(output)!;
                if (!Data.Tables.TableReader.IsTableFile(path)) throw new ArgumentException($"--out {path}: a table run writes .csv, .tsv or .parquet");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var table = Evaluation.TableSampling.Draw(model, schema, rowCount, new Generator(parse.GetValue(seed)), parse.GetValue(clip), parse.GetValue(missing));
                Data.Tables.TableWriter.Write(table, path);
                stdout.WriteLine($"wrote {rowCount:N0} synthetic rows of {table.Columns.Count} columns to {path} ({clock.Elapsed.TotalSeconds:F1} s)");
                return ElboCommand.Ok;
            }
            if (parse.GetResult(rows) is { Implicit: false } || parse.GetValue(clip) || parse.GetValue(missing))
                throw new ArgumentException("--rows, --clip and --missing are for runs trained on a table");
            var shape = Shape(config);
            string? chosen = parse.GetValue(label);
            if (chosen is not null && !model.IsConditional)
                throw new ArgumentException($"--label needs a conditional model (--model cvae), and this run's is {config.Model.Name}");
            var names = config.LabelNames();
            int columns = Math.Min(ImageGrid.SampleColumns, count);
            int[] labels = [];
            if (model.IsConditional && chosen is not null) labels = Enumerable.Repeat(ParseLabel(chosen, model.Classes, names), count).ToArray();
            else if (model.IsConditional)
            {
                // no class chosen: one row per class, --n shared out among the classes (rounded up)
                columns = (count + model.Classes - 1) / model.Classes;
                labels = model.LabelsByClass(columns);
                count = labels.Length;
            }
            using (GradMode.NoGrad())
            {
                var samples = model.Sample(count, new Generator(parse.GetValue(seed)), labels);
                var image = ImageGrid.Compose(samples, columns, shape, scale: 2);
                image.Save(parse.GetValue(output)!);
            }
            string what = !model.IsConditional ? "" : chosen is not null ? $" of class {LabelName(labels[0], names)}" : $" ({count / model.Classes} per class, one row each)";
            stdout.WriteLine($"wrote {count} samples{what} to {parse.GetValue(output)}");
            return ElboCommand.Ok;
        });
        return command;
    }

    // A class by number (0..classes−1) or by its name in the data's class names (case-insensitive).
    private static int ParseLabel(string text, int classes, IReadOnlyList<string>? names)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number))
        {
            if (number < classes) return number;
            throw new ArgumentException($"--label {text} is not a class of the model (0..{classes - 1})");
        }
        for (int i = 0; names is not null && i < Math.Min(names.Count, classes); i++)
            if (string.Equals(names[i], text, StringComparison.OrdinalIgnoreCase)) return i;
        throw new ArgumentException(names is null
            ? $"--label {text} is not a class number (0..{classes - 1})"
            : $"--label {text} is not a class of the model: give 0..{classes - 1} or one of {string.Join(", ", names.Take(classes))}");
    }

    private static string LabelName(int label, IReadOnlyList<string>? names) =>
        names is not null && label < names.Count ? $"{label} ({names[label]})" : label.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static DataShape Shape(Serialization.RunConfig c)
    {
        if (!c.Input.IsImage)
            throw new ArgumentException($"the run's data ({c.Input}) are not images: nothing to draw");
        return c.Input;
    }
}
