using System.Globalization;
using Elbo.Api;
using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Evaluation;
using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Objectives;
using Elbo.Serialization;
using Elbo.Tests.Data;
using Elbo.Training;

namespace Elbo.Tests.Api;

/// <summary>Small trained runs shared by the tests: a VAE, a plain autoencoder and a conditional VAE on 8×8 IDX data,
/// and a VAE of a table (numeric, categorical, boolean and label columns, some cells missing).</summary>
public sealed class TrainedRunsFixture : IDisposable
{
    public TrainedRunsFixture()
    {
        string data = System.IO.Path.Combine(Dir, "idx");
        IdxFixtures.WriteDataset(data, train: 40, test: 12, rows: 8, cols: 8);
        Vae = Train("vae", "mlp", "bernoulli", data);
        Autoencoder = Train("ae", "ae", "bernoulli", data);
        Conditional = Train("cvae", "cvae", "bernoulli", data);
        TableFile = System.IO.Path.Combine(Dir, "t.csv");
        var rng = new Random(3);
        var lines = new List<string> { "x,y,side,flag,kind" };
        for (int i = 0; i < 120; i++)
        {
            double x = rng.NextDouble() * 4 - 2, y = 2 * x + 0.1 * (rng.NextDouble() - 0.5);
            string xs = i % 10 == 4 ? "" : x.ToString("F3", CultureInfo.InvariantCulture);
            lines.Add($"{xs},{y.ToString("F3", CultureInfo.InvariantCulture)},{(x > 0 ? "right" : "left")},{(i % 3 == 0 ? "yes" : "no")},{(i % 7 == 0 ? "odd" : "usual")}");
        }
        File.WriteAllText(TableFile, string.Join("\n", lines) + "\n");
        Table = Train("table", "mlp", "tabular", TableFile, new DataOptions { Table = new TableOptions { Label = "kind" } }, latent: 2, epochs: 20);
    }

    public string Dir { get; } = Directory.CreateTempSubdirectory("elbo-api").FullName;

    public string Vae { get; }

    public string Autoencoder { get; }

    public string Conditional { get; }

    public string Table { get; }

    public string TableFile { get; }

    private string Train(string name, string model, string likelihood, string data, DataOptions? options = null, int latent = 3, int epochs = 2)
    {
        string run = System.IO.Path.Combine(Dir, name);
        var config = new RunConfig
        {
            Model = ModelRegistry.Specs.Get(model), Likelihood = LikelihoodRegistry.Specs.Get(likelihood), Latent = latent, Hidden = [16],
            Epochs = epochs, BatchSize = 16, Lr = 1e-2, Beta = 1, Kl = KlEstimator.Closed, Seed = 5,
        };
        Trainer.Create(config, data, run, RunMode.New, dataOptions: options).Run();
        return run;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

public class ElboModelTests(TrainedRunsFixture runs) : IClassFixture<TrainedRunsFixture>
{
    private static float[,] Matrix(float[] values, int rows)
    {
        int columns = values.Length / rows;
        var result = new float[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) result[i, j] = values[i * columns + j];
        return result;
    }

    // The first n test examples of a run, as the model reads them.
    private static (float[,] X, int[] Labels, Dataset Data) TestExamples(string run, int n)
    {
        var (config, _) = TrainedRun.Load(run);
        var test = TrainedRun.LoadData(config).Test;
        var values = new float[n * test.Features];
        for (int i = 0; i < n; i++) test.CopyImage(i, values.AsSpan(i * test.Features, test.Features));
        return (Matrix(values, n), test.Labels[..n].ToArray(), test);
    }

    [Fact]
    public void EncodeGivesTheLibrarysCodesAsArrays()
    {
        var model = ElboModel.Load(runs.Vae);
        var (x, _, data) = TestExamples(runs.Vae, 5);

        var q = model.Encode(x);

        var expected = LatentCodes.Encode(TrainedRun.Load(runs.Vae).Model, data, 5);
        Assert.Equal([5, 3], new[] { q.Mu.GetLength(0), q.Mu.GetLength(1) });
        Assert.Equal(expected.Mu, q.Mu.Cast<float>());
        Assert.Equal(expected.Parameter(1), q.LogVar!.Cast<float>());
        Assert.Equal(3, model.Latent);
        Assert.Equal(64, model.Input.Features);
        Assert.True(model.HasDensity);
    }

    [Fact]
    public void DecodingTheCodesGivesTheReconstructions()
    {
        var model = ElboModel.Load(runs.Vae);
        var (x, _, _) = TestExamples(runs.Vae, 4);

        var reconstructed = model.Reconstruct(x);
        var decoded = model.Decode(model.Encode(x).Mu);

        Assert.Equal([4, 64], new[] { decoded.GetLength(0), decoded.GetLength(1) });
        Assert.Equal(reconstructed.Cast<float>(), decoded.Cast<float>());
        Assert.All(decoded.Cast<float>(), v => Assert.InRange(v, 0f, 1f));      // Bernoulli means
        // and the reconstruction is the model's own
        var (_, direct) = TrainedRun.Load(runs.Vae);
        using (Engine.Autograd.GradMode.NoGrad())
        {
            var batch = Tensor.Zeros(4, 64);
            x.Cast<float>().ToArray().CopyTo(batch.Data);
            Assert.Equal(direct.Reconstruct(batch).Data.ToArray(), reconstructed.Cast<float>());
        }
    }

    [Fact]
    public void SamplesAreReproducibleForASeedAndDifferForAnother()
    {
        var model = ElboModel.Load(runs.Vae);

        var a = model.Sample(6, seed: 3);
        var b = model.Sample(6, seed: 3);
        var c = model.Sample(6, seed: 4);

        Assert.Equal([6, 64], new[] { a.GetLength(0), a.GetLength(1) });
        Assert.Equal(a.Cast<float>(), b.Cast<float>());
        Assert.NotEqual(a.Cast<float>(), c.Cast<float>());
        using (Engine.Autograd.GradMode.NoGrad())
            Assert.Equal(TrainedRun.Load(runs.Vae).Model.Sample(6, new Generator(3)).Data.ToArray(), a.Cast<float>());
    }

    [Fact]
    public void ScoresAreTheLibrarysExampleScores()
    {
        var model = ElboModel.Load(runs.Vae);
        var (x, _, data) = TestExamples(runs.Vae, 6);

        var scores = model.Score(x, k: 20, seed: 9);

        var expected = ExampleScores.Compute(TrainedRun.Load(runs.Vae).Model, data, 20, 9, count: 6);
        Assert.Equal(expected.NegElbo, scores.NegElbo);
        Assert.Equal(expected.NegLogPx, scores.NegLogPx);
        // the importance-weighted bound is tighter than the ELBO, on average
        Assert.True(scores.NegLogPx!.Average() <= scores.NegElbo.Average());
    }

    [Fact]
    public void AnAutoencoderHasCodesWithoutSpreadAndScoresWithoutDensity()
    {
        var model = ElboModel.Load(runs.Autoencoder);
        var (x, _, _) = TestExamples(runs.Autoencoder, 3);

        Assert.False(model.HasDensity);
        Assert.Null(model.Encode(x).LogVar);
        var scores = model.Score(x, k: 5);
        Assert.Null(scores.NegLogPx);
        Assert.All(scores.NegElbo, v => Assert.True(double.IsFinite(v) && v > 0));
    }

    [Fact]
    public void AConditionalModelTakesLabelsAndSamplesAClass()
    {
        var model = ElboModel.Load(runs.Conditional);
        var (x, labels, _) = TestExamples(runs.Conditional, 4);

        Assert.True(model.IsConditional);
        Assert.True(model.Classes >= 2);
        Assert.Contains("example 0 has no label", Assert.Throws<ArgumentException>(() => model.Encode(x)).Message);
        var q = model.Encode(x, labels);
        Assert.Equal(4, q.Mu.GetLength(0));
        Assert.Equal(4, model.Score(x, k: 5, labels: labels).NegElbo.Length);
        // every row of one class, the same draws as the model's own
        var samples = model.Sample(3, seed: 2, label: 1);
        using (Engine.Autograd.GradMode.NoGrad())
            Assert.Equal(TrainedRun.Load(runs.Conditional).Model.Sample(3, new Generator(2), [1, 1, 1]).Data.ToArray(), samples.Cast<float>());
        Assert.Contains("not one of the model's", Assert.Throws<ArgumentException>(() => model.Sample(2, label: model.Classes)).Message);
    }

    [Fact]
    public void ArraysOfTheWrongShapeAndAMisplacedLabelAreRefused()
    {
        var model = ElboModel.Load(runs.Vae);

        var wide = Assert.Throws<ArgumentException>(() => model.Encode(new float[2, 65]));
        Assert.StartsWith("x has 65 columns; the model needs 64 values per example (1x8x8)", wide.Message);
        Assert.StartsWith("z has 2 columns; the model needs 3 latent dimensions", Assert.Throws<ArgumentException>(() => model.Decode(new float[1, 2])).Message);
        Assert.StartsWith("x has no rows", Assert.Throws<ArgumentException>(() => model.Score(new float[0, 64])).Message);
        Assert.Contains("a label needs a conditional model", Assert.Throws<ArgumentException>(() => model.Sample(2, label: 0)).Message);
        Assert.Contains("trained on", Assert.Throws<InvalidOperationException>(() => model.SampleRows(3)).Message);
    }

    [Fact]
    public void ACheckpointLoadsFromItsTwoFilesUnderOtherNames()
    {
        using var dir = new TempFolder();
        string config = dir.File("settings.json"), weights = Path.Combine(Directory.CreateDirectory(dir.File("w")).FullName, "weights.safetensors");
        File.Copy(Path.Combine(runs.Vae, RunFolder.Config), config);
        File.Copy(Path.Combine(runs.Vae, RunFolder.Weights), weights);
        var (x, _, _) = TestExamples(runs.Vae, 3);

        var fromFiles = ElboModel.Load(config, weights);

        Assert.Equal(ElboModel.Load(runs.Vae).Encode(x).Mu.Cast<float>(), fromFiles.Encode(x).Mu.Cast<float>());
        Assert.Equal("mlp", fromFiles.Config.Model.Name);
        Assert.Throws<FileNotFoundException>(() => ElboModel.Load(config, dir.File("none.safetensors")));
        Assert.Throws<RunNotFoundException>(() => ElboModel.Load(dir.File("no-run")));
        // a checkpoint carries its own configuration (layout 2): another run's weights load as that run's model, and
        // the configuration file is read only for layout-1 checkpoints
        Assert.Equal("ae", ElboModel.Load(config, Path.Combine(runs.Autoencoder, RunFolder.Weights)).Config.Model.Name);
    }

    [Fact]
    public void SyntheticRowsHaveTheTablesColumnsInItsUnits()
    {
        var model = ElboModel.Load(runs.Table);

        var rows = model.SampleRows(50, seed: 4);

        Assert.Equal(50, rows.Length);
        Assert.All(rows, r => Assert.Equal(["x", "y", "side", "flag"], r.Keys));
        Assert.All(rows, r => Assert.Contains(r["side"], new[] { "left", "right" }));
        Assert.All(rows, r => Assert.Contains(r["flag"], new[] { "yes", "no" }));
        Assert.All(rows, r => double.Parse(r["x"]!, CultureInfo.InvariantCulture));
        // the same rows as elbo sample draws
        var expected = TableSampling.Draw(TrainedRun.Load(runs.Table).Model, model.Table!, 50, new Generator(4));
        Assert.Equal(expected["y"].Text(7), rows[7]["y"]);
    }

    [Fact]
    public void TableRowsScoreAsTheSameRowsOfAFile()
    {
        var model = ElboModel.Load(runs.Table);
        var (_, test) = TableDataSource.Rows(runs.TableFile, model.Config.TableOptions!);
        var file = test.Select(Enumerable.Range(0, 10).ToArray());
        var rows = TableCells.ToRows(file);

        var scores = model.Score(rows, k: 20, seed: 2);
        var codes = model.Encode(rows);

        var data = TableDataSource.FromTable(file, model.Table!, "file");
        var expected = ExampleScores.Compute(TrainedRun.Load(runs.Table).Model, data, 20, 2);
        Assert.Equal(expected.NegLogPx, scores.NegLogPx);
        Assert.Equal(LatentCodes.Encode(TrainedRun.Load(runs.Table).Model, data).Mu, codes.Mu.Cast<float>());
        // a cell that is not a number in a numeric column is an error naming it
        rows[0]["y"] = "many";
        Assert.Contains("column \"y\": \"many\" is not a number", Assert.Throws<DataFormatException>(() => model.Score(rows)).Message);
    }

    [Fact]
    public void ImputationFillsTheMissingCellsAndKeepsTheOthers()
    {
        var model = ElboModel.Load(runs.Table);
        Dictionary<string, string?>[] rows =
        [
            new() { ["x"] = null, ["y"] = "3.000", ["side"] = "right", ["flag"] = "yes", ["kind"] = "usual" },
            new() { ["x"] = "-1.500", ["y"] = "NA", ["side"] = null, ["flag"] = "no", ["kind"] = "usual" },
        ];

        var filled = model.Impute(rows, k: 50, seed: 1);

        Assert.Equal(["x", "y", "side", "flag", "kind"], filled[0].Keys);
        double x = double.Parse(filled[0]["x"]!, CultureInfo.InvariantCulture);
        Assert.True(x > 0.5, $"x {x}: y = 3 and side = right, and the model learned y ≈ 2x");
        Assert.Equal("3", filled[0]["y"]);                    // observed cells as a CSV file would hold them
        Assert.Equal("-1.5", filled[1]["x"]);
        Assert.True(double.Parse(filled[1]["y"]!, CultureInfo.InvariantCulture) < -1, filled[1]["y"]);
        Assert.Equal("left", filled[1]["side"]);
        // the same as elbo impute fills the table
        var table = TableCells.FromRows(rows);
        var expected = Imputation.FillMissing(TrainedRun.Load(runs.Table).Model, model.Table!, table, 50, new Generator(1));
        Assert.Equal(expected["x"].Text(0), filled[0]["x"]);
        Assert.Contains("takes table rows", Assert.Throws<InvalidOperationException>(() => ElboModel.Load(runs.Vae).Impute(rows)).Message);
    }

    [Fact]
    public void CallsFromManyThreadsOnOneInstanceGiveTheSequentialResults()
    {
        var model = ElboModel.Load(runs.Vae);
        var (x, _, _) = TestExamples(runs.Vae, 8);
        var expectedScores = model.Score(x, k: 10, seed: 3).NegLogPx!;
        var expectedMu = model.Encode(x).Mu.Cast<float>().ToArray();
        var expectedSamples = model.Sample(4, seed: 5).Cast<float>().ToArray();

        var results = new (double[] Scores, float[] Mu, float[] Samples)[8];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            results[i] = (model.Score(x, k: 10, seed: 3).NegLogPx!, model.Encode(x).Mu.Cast<float>().ToArray(), model.Sample(4, seed: 5).Cast<float>().ToArray()));

        Assert.All(results, r =>
        {
            Assert.Equal(expectedScores, r.Scores);
            Assert.Equal(expectedMu, r.Mu);
            Assert.Equal(expectedSamples, r.Samples);
        });
    }
}
