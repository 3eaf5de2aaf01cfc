using System.Buffers.Binary;
using System.Globalization;
using Elbo.Data.Tables;
using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Objectives;
using Elbo.Serialization;
using Elbo.Training;

namespace Elbo.Fuzz;

/// <summary>
/// Two small runs trained for real by <see cref="Trainer"/> in the scratch folder: a conditional VAE on 4×4 grey IDX
/// pictures with 10 classes, and a VAE of a table with numeric, categorical, boolean and label columns and missing
/// cells. The http target serves them; their model.safetensors and config.json are seeds of the safetensors and config
/// targets. Small on purpose: a checkpoint of a few KB, a model call of microseconds.
/// </summary>
internal sealed class TinyRuns
{
    /// <summary>The side of the pictures of <see cref="Pictures"/>.</summary>
    public const int Side = 4;

    private TinyRuns(string pictures, string table, string tableFile)
    {
        Pictures = pictures;
        Table = table;
        TableFile = tableFile;
    }

    /// <summary>The run folder of the conditional VAE on pictures.</summary>
    public string Pictures { get; }

    /// <summary>The run folder of the table VAE.</summary>
    public string Table { get; }

    /// <summary>The CSV file the table run trained on.</summary>
    public string TableFile { get; }

    /// <summary>Trains both runs into <paramref name="scratch"/> (a second of CPU), once: a second call finds them.</summary>
    public static TinyRuns Train(Scratch scratch)
    {
        if (File.Exists(Checkpoint.WeightsPath(scratch.PathOf("run-table"))))
            return new TinyRuns(scratch.PathOf("run-cvae"), scratch.PathOf("run-table"), scratch.PathOf("people.csv"));
        string idx = scratch.PathOf("idx");
        Directory.CreateDirectory(idx);
        WriteIdx(idx, "train", 40);
        WriteIdx(idx, "t10k", 12);
        string csv = scratch.PathOf("people.csv");
        File.WriteAllText(csv, TableCsv(60));
        string pictures = Train(scratch.PathOf("run-cvae"), "cvae", "bernoulli", idx, null);
        string table = Train(scratch.PathOf("run-table"), "mlp", "tabular", csv, new TableOptions { Label = "kind" });
        return new TinyRuns(pictures, table, csv);
    }

    private static string Train(string run, string model, string likelihood, string data, TableOptions? table)
    {
        var config = new RunConfig
        {
            Model = ModelRegistry.Specs.Get(model), Likelihood = LikelihoodRegistry.Specs.Get(likelihood), Latent = 2, Hidden = [4],
            Epochs = 2, BatchSize = 16, Lr = 1e-2, Beta = 1, Kl = KlEstimator.Closed, Seed = 5, Threads = 1,
        };
        Trainer.Create(config, data, run, RunMode.New, dataOptions: new Data.DataOptions { Table = table, Threads = 1 }).Run();
        return run;
    }

    // The four MNIST-style files of n pictures of Side × Side (pixel j of picture i is (i·31 + j·7) mod 256; label i mod 10).
    private static void WriteIdx(string folder, string split, int n)
    {
        int features = Side * Side;
        var images = new byte[16 + n * features];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x0803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), n);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), Side);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), Side);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < features; j++) images[16 + i * features + j] = (byte)((i * 31 + j * 7) % 256);
        var labels = new byte[8 + n];
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x0801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), n);
        for (int i = 0; i < n; i++) labels[8 + i] = (byte)(i % 10);
        File.WriteAllBytes(Path.Combine(folder, $"{split}-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(folder, $"{split}-labels-idx1-ubyte"), labels);
    }

    /// <summary>A CSV of <paramref name="rows"/> rows: x (numeric, some missing), y = 2x (numeric), side (categorical),
    /// flag (boolean yes/no), kind (the label).</summary>
    public static string TableCsv(int rows)
    {
        var lines = new List<string> { "x,y,side,flag,kind" };
        var rng = new Random(3);
        for (int i = 0; i < rows; i++)
        {
            double x = rng.NextDouble() * 4 - 2, y = 2 * x + 0.1 * (rng.NextDouble() - 0.5);
            string xs = i % 10 == 4 ? "" : x.ToString("F3", CultureInfo.InvariantCulture);
            lines.Add($"{xs},{y.ToString("F3", CultureInfo.InvariantCulture)},{(x > 0 ? "right" : "left")},{(i % 3 == 0 ? "yes" : "no")},{(i % 7 == 0 ? "odd" : "usual")}");
        }
        return string.Join("\n", lines) + "\n";
    }
}
