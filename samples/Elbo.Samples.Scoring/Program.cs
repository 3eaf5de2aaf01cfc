using Elbo.Api;
using Elbo.Evaluation;
using Elbo.Serialization;
using Elbo.Training;

// Loads a trained model — a run folder written by `elbo train`, or a checkpoint's two files by path — draws examples
// from it, encodes, decodes and scores them; for a model of a table, draws rows in the file's units, scores them and
// fills a cell left out. Usage: RUN_FOLDER [N]  or  CONFIG_JSON MODEL_SAFETENSORS [N]
// The region below is docs/library.md's code, word for word (a test compares the two, and the package tests build and
// run this program against freshly packed packages).
bool counted = args.Length > 1 && int.TryParse(args[^1], out _);
string[] paths = counted ? args[..^1] : args;
int n = counted ? int.Parse(args[^1]) : 8;
if (paths.Length is < 1 or > 2 || n < 1)
{
    Console.Error.WriteLine("usage: Elbo.Samples.Scoring RUN_FOLDER [N]  or  Elbo.Samples.Scoring CONFIG_JSON MODEL_SAFETENSORS [N]");
    return 2;
}
try
{
    Run(paths, n);
    return 0;
}
catch (Exception e) when (e is RunNotFoundException or CheckpointFormatException or IOException)
{
    Console.Error.WriteLine($"Elbo.Samples.Scoring: {e.Message}");
    return 1;
}

static void Run(string[] paths, int n)
{
    #region library.md
    ElboModel model = paths.Length == 1 ? ElboModel.Load(paths[0]) : ElboModel.Load(paths[0], paths[1]);   // a run folder, or its two files
    Console.WriteLine($"model: {model.Model.Kind}, {model.Input}, latent {model.Latent}");
    if (model.Table is null)
    {
        float[,] x = model.Sample(n, seed: 1);                        // n × D: means of p(x|z), z ~ N(0, I)
        int[] y = model.IsConditional ? [.. Enumerable.Range(0, n).Select(i => i % model.Classes)] : [];   // Sample's classes
        LatentEncoding q = model.Encode(x, y);                        // q.Mu and q.LogVar: n × L
        float[,] decoded = model.Decode(q.Mu, y);                     // n × D: the means of p(x|z) at z = μ
        ExampleScores s = model.Score(x, k: 100, seed: 1, y);         // −ELBO and −log p(x) per example, in nats
        for (int i = 0; i < n; i++)
            Console.WriteLine($"example {i}: mu[0] {q.Mu[i, 0]:F4}, logvar[0] {q.LogVar?[i, 0]:F4}, decoded[0] {decoded[i, 0]:F4}, " +
                $"-ELBO {s.NegElbo[i]:F4}, -log p(x) {s.NegLogPx?[i]:F4}");
        return;
    }
    Dictionary<string, string?>[] rows = model.SampleRows(n, seed: 1);   // a table's model: column name → cell, in the file's units
    ExampleScores scores = model.Score(rows, k: 100, seed: 1);
    for (int i = 0; i < n; i++)
        Console.WriteLine($"row {i}: {string.Join(", ", rows[i].Select(cell => $"{cell.Key}={cell.Value}"))}; {scores.ScoreName} {scores.Score[i]:F4}");
    var holed = new Dictionary<string, string?>(rows[0]) { [rows[0].Keys.First()] = null };   // row 0, its first cell missing
    Console.WriteLine($"row 0 imputed: {string.Join(", ", model.Impute([holed], k: 100, seed: 1)[0].Select(cell => $"{cell.Key}={cell.Value}"))}");
    #endregion
}
