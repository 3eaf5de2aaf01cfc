using System.Globalization;
using Elbo.Api;
using Elbo.Evaluation;
using Elbo.Serialization;
using Elbo.Training;

// Loads a run folder written by `elbo train`, draws examples from its model, encodes them and scores them; for a model
// of a table, draws rows in the file's units, scores them and fills a cell left out. Usage: RUN_FOLDER [N]
if (args.Length is < 1 or > 2 || (args.Length == 2 && !int.TryParse(args[1], CultureInfo.InvariantCulture, out _)))
{
    Console.Error.WriteLine("usage: Elbo.Samples.Scoring RUN_FOLDER [N]");
    return 2;
}
int n = args.Length == 2 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
ElboModel model;
try
{
    model = ElboModel.Load(args[0]);
}
catch (Exception e) when (e is RunNotFoundException or CheckpointFormatException or IOException)
{
    Console.Error.WriteLine($"Elbo.Samples.Scoring: {e.Message}");
    return 1;
}
Console.WriteLine($"model: {model.Model.Kind}, {model.Input}, latent {model.Latent}");
if (model.Table is null) Examples(model, n);
else Rows(model, n);
return 0;

static void Examples(ElboModel model, int n)
{
    int[] labels = model.IsConditional ? [.. Enumerable.Range(0, n).Select(i => i % model.Classes)] : [];
    float[,] x = model.Sample(n, seed: 1);                        // n × D: means of p(x|z), z ~ N(0, I)
    LatentEncoding q = model.Encode(x, labels);                   // q.Mu and q.LogVar: n × L
    float[,] decoded = model.Decode(q.Mu, labels);                // n × D: the means at z = μ
    ExampleScores scores = model.Score(x, k: 100, seed: 1, labels);
    for (int i = 0; i < n; i++)
        Console.WriteLine(Invariant($"example {i}: mu[0] {q.Mu[i, 0]:F4}, logvar[0] {q.LogVar?[i, 0]:F4}, decoded[0] {decoded[i, 0]:F4}, ") +
            Invariant($"-ELBO {scores.NegElbo[i]:F4}, -log p(x) {scores.NegLogPx?[i]:F4} nats"));
}

static void Rows(ElboModel model, int n)
{
    Dictionary<string, string?>[] rows = model.SampleRows(n, seed: 1);   // column name → cell, in the file's units
    ExampleScores scores = model.Score(rows, k: 100, seed: 1);
    for (int i = 0; i < n; i++)
        Console.WriteLine(Invariant($"row {i}: {string.Join(", ", rows[i].Select(c => $"{c.Key}={c.Value}"))}; -log p(x) {scores.Score[i]:F4} nats"));
    string column = rows[0].Keys.First();
    var holed = new Dictionary<string, string?>(rows[0]) { [column] = null };
    Console.WriteLine($"imputed {column} of row 0: {model.Impute([holed], k: 100, seed: 1)[0][column]} (drawn: {rows[0][column]})");
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
