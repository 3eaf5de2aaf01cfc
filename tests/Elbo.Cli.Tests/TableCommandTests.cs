using System.Globalization;
using System.Text.Json;

namespace Elbo.Cli.Tests;

/// <summary>End-to-end runs on a table file: train, sample rows, score, impute, quality, eval and report.</summary>
public class TableCommandTests : CliTestBase
{
    // 120 rows: a numeric x, y = 2x + noise, a category that is x's sign, a yes/no flag, a label; x missing in some rows.
    private string TableFile(string name = "t.csv", int rows = 120, bool holes = true)
    {
        string path = Path.Combine(_dir, name);
        var rng = new Random(3);
        var lines = new List<string> { "x,y,side,flag,kind" };
        for (int i = 0; i < rows; i++)
        {
            double x = rng.NextDouble() * 4 - 2, y = 2 * x + 0.1 * (rng.NextDouble() - 0.5);
            string xs = holes && i % 10 == 4 ? "" : x.ToString("F3", CultureInfo.InvariantCulture);
            lines.Add($"{xs},{y.ToString("F3", CultureInfo.InvariantCulture)},{(x > 0 ? "right" : "left")},{(i % 3 == 0 ? "yes" : "no")},{(i % 7 == 0 ? "odd" : "usual")}");
        }
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private string TrainTable(string run = "t", params string[] extra) =>
        TrainedRun(run, ["--data", TableFile(), "--label", "kind", "--latent", "2", "--hidden", "16", "--epochs", "40", "--batch-size", "16", "--no-report", .. extra]);

    [Fact]
    public void TrainingPrintsTheSchemaAndKeepsItInTheConfig()
    {
        string run = Path.Combine(_dir, "t");
        var (code, output, err) = Run(Train(run, "--data", TableFile(), "--label", "kind", "--latent", "2", "--epochs", "2", "--no-report"));
        Assert.True(code == 0, err);
        Assert.Contains("is a table: 96 train and 24 test rows", output);
        Assert.Contains("tabular likelihood", output);
        Assert.Matches(@"side\s+categorical", output);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.Equal("tabular", config.RootElement.GetProperty("likelihood").GetString());
        Assert.Equal(5, config.RootElement.GetProperty("table").GetProperty("columns").GetArrayLength());
        Assert.Equal("kind", config.RootElement.GetProperty("tableOptions").GetProperty("label").GetString());
        // metrics break the reconstruction down by column
        using var metrics = JsonDocument.Parse(File.ReadLines(Path.Combine(run, "metrics.jsonl")).Last());
        var columns = metrics.RootElement.GetProperty("test_columns");
        Assert.Equal(["x", "y", "flag", "side"], columns.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void SyntheticRowsHaveTheFilesColumnsAndCategories()
    {
        string run = TrainTable(), file = Path.Combine(_dir, "syn.csv");
        var (code, output, err) = Run("sample", run, "--rows", "200", "--out", file, "--clip");
        Assert.True(code == 0, err);
        Assert.Contains("wrote 200 synthetic rows of 4 columns", output);
        var lines = File.ReadAllLines(file);
        Assert.Equal("x,y,side,flag", lines[0]);
        Assert.Equal(201, lines.Length);
        var cells = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.All(cells, c => Assert.Contains(c[2], new[] { "left", "right" }));
        Assert.All(cells, c => Assert.Contains(c[3], new[] { "yes", "no" }));
        Assert.All(cells, c => Assert.InRange(double.Parse(c[0], CultureInfo.InvariantCulture), -2.0, 2.0));     // clipped to the training range
        // the model learned y ≈ 2x: the synthetic rows keep the correlation
        var x = cells.Select(c => double.Parse(c[0], CultureInfo.InvariantCulture)).ToArray();
        var y = cells.Select(c => double.Parse(c[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.True(Correlation(x, y) > 0.7, $"corr {Correlation(x, y)}");
    }

    [Fact]
    public void ScoreImputeAndQualityWork()
    {
        string run = TrainTable();
        var (code, output, err) = Run("score", run, "--data", TableFile("all.csv", holes: false), "--label", "kind", "--positive", "odd", "--contamination", "0.1", "--k", "20");
        Assert.True(code == 0, err);
        Assert.Contains("anomalies (kind = odd)", output);
        Assert.Contains("ROC-AUC", output);
        var header = File.ReadLines(Path.Combine(run, "scores.csv")).First();
        Assert.Equal("index,neg_elbo,neg_log_px,top_column,anomaly,is_anomaly", header);

        string filled = Path.Combine(_dir, "filled.csv");
        (code, output, err) = Run("impute", run, "--data", TableFile("holes.csv"), "--out", filled, "--k", "20");
        Assert.True(code == 0, err);
        Assert.Contains("filled 12 missing cells of 120 rows", output);
        var rows = File.ReadAllLines(filled).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.All(rows, r => Assert.NotEqual("", r[0]));
        // a filled x follows its row's y ≈ 2x
        double error = rows.Where((_, i) => i % 10 == 4).Average(r => Math.Abs(double.Parse(r[0], CultureInfo.InvariantCulture) - double.Parse(r[1], CultureInfo.InvariantCulture) / 2));
        Assert.True(error < 0.5, $"mean |x̂ − y/2| {error}");

        (code, output, err) = Run("quality", run, "--rows", "300");
        Assert.True(code == 0, err);
        Assert.Contains("quality of 300 synthetic rows against 96 training rows", output);
        using var quality = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "quality.json")));
        Assert.InRange(quality.RootElement.GetProperty("score").GetDouble(), 0.5, 1.0);
        Assert.True(File.Exists(Path.Combine(run, "quality_columns.svg")));
        Assert.True(File.Exists(Path.Combine(run, "synthetic.csv")));

        (code, output, err) = Run("traverse", run, "--steps", "5");
        Assert.True(code == 0, err);
        Assert.Contains("decoded rows (2 dimension(s) × 5 values", output);
        var traversal = File.ReadAllLines(Path.Combine(run, "traversal.csv"));
        Assert.Equal("dimension,z,x,y,side,flag", traversal[0]);
        Assert.Equal(11, traversal.Length);
        Assert.Equal(0, Run("eval", run, "--k", "20").Code);
        Assert.Equal(0, Run("encode", run, "--out", Path.Combine(_dir, "codes.csv")).Code);
        Assert.Equal(0, Run("report", run).Code);
    }

    [Theory]
    [InlineData("--categorical", "nope", "categorical")]
    [InlineData("--likelihood", "gaussian", "gaussian does not fit a table file")]
    public void BadTableOptionsAreOneLineUsageErrors(string option, string value, string expected)
    {
        string run = Path.Combine(_dir, "bad");
        var (code, _, err) = Run(Train(run, "--data", TableFile(), option, value, "--epochs", "1"));
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(run, "config.json")));
    }

    [Fact]
    public void ATableWithOtherColumnsIsRefusedAndNothingIsWritten()
    {
        string run = TrainTable(), other = Path.Combine(_dir, "other.csv"), file = Path.Combine(_dir, "f.csv");
        File.WriteAllText(other, "a,b\n1,2\n3,4\n");
        var (code, _, err) = Run("impute", run, "--data", other, "--out", file);
        Assert.Equal(1, code);
        Assert.Contains("other.csv", err);
        Assert.False(File.Exists(file));
        (code, _, err) = Run("sample", run, "--rows", "5", "--out", Path.Combine(_dir, "x.png"));
        Assert.Equal(2, code);
        Assert.Contains(".csv, .tsv or .parquet", err);
        (code, _, err) = Run("quality", TrainedRun("img"));
        Assert.Equal(2, code);
        Assert.Contains("not a table", err);
    }

    [Fact]
    public void ScoreWorksOnImagesToo()
    {
        string run = TrainedRun("img"), file = Path.Combine(_dir, "img-scores.csv");
        var (code, output, err) = Run("score", run, "--positive", "3", "--k", "10", "--out", file);
        Assert.True(code == 0, err);
        Assert.Contains("scored 12 examples", output);
        Assert.Contains("anomalies (classes 3): 1 of 12; ROC-AUC", output);
        Assert.Equal("index,neg_elbo,neg_log_px,is_anomaly", File.ReadLines(file).First());
        (code, _, err) = Run("score", run, "--label", "kind");
        Assert.Equal(2, code);
        Assert.Contains("--label names a column of a table file", err);
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double cov = a.Zip(b).Sum(p => (p.First - ma) * (p.Second - mb));
        return cov / Math.Sqrt(a.Sum(v => (v - ma) * (v - ma)) * b.Sum(v => (v - mb) * (v - mb)));
    }
}
