using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Engine.Autograd;
using Elbo.Evaluation;
using Elbo.Models;
using Elbo.Serialization;
using Elbo.Training;

namespace Elbo.Api;

/// <summary>
/// A trained model for application code, with plain arrays in and out: load a run folder written by <c>elbo train</c>
/// (or its config.json and model.safetensors by path), then <see cref="Encode(float[,], ReadOnlySpan{int})"/>,
/// <see cref="Decode"/>, <see cref="Sample"/>, <see cref="Reconstruct"/> and <see cref="Score(float[,], int, ulong, ReadOnlySpan{int})"/>;
/// a model of a table also takes and gives rows in the file's units (<see cref="SampleRows"/>,
/// <see cref="Encode(IEnumerable{IReadOnlyDictionary{string, string}}, int)"/>, <see cref="Score(IEnumerable{IReadOnlyDictionary{string, string}}, int, ulong)"/>,
/// <see cref="Impute"/>).
/// <para>Examples are rows of a <c>float[N, D]</c>, laid out as the model reads them (<see cref="Input"/>: a picture
/// C×H×W row-major, values as the run's data were normalized, e.g. pixels in [0, 1]); latent points are rows of a
/// <c>float[N, L]</c>. A conditional model (<see cref="IsConditional"/>) takes one class label per example.
/// Each call runs one batch of the size given, in eval mode without gradients. This class only calls the library
/// (<see cref="TrainedRun"/>, <see cref="LatentCodes"/>, <see cref="ExampleScores"/>, <see cref="Imputation"/>,
/// <see cref="TableSampling"/>); the numbers are those of the matching <c>elbo</c> commands for the same seed.</para>
/// <para>Thread safety: every method may be called from any thread; calls on one instance are serialized by a lock,
/// so one instance holds one batch's activations at a time. The model itself is safe to call from several threads at
/// once in eval mode — its forward pass only reads the parameters and running statistics, and the engine's scratch
/// memory, gradient mode and GEMM workspace are per thread (<c>elbo serve</c> relies on this; docs/serve.md,
/// Concurrency) — so <see cref="Model"/>, which bypasses the lock, may be used for calls in parallel, as may one
/// instance per thread.</para>
/// </summary>
public sealed class ElboModel
{
    private readonly Lock _gate = new();
    private readonly LatentVariableModel _model;

    private ElboModel(RunConfig config, LatentVariableModel model)
    {
        Config = config;
        _model = model;
    }

    /// <summary>Loads the trained model of a run folder (its checkpoint, model.safetensors).</summary>
    /// <exception cref="RunNotFoundException">The folder does not exist or holds no checkpoint.</exception>
    /// <exception cref="CheckpointFormatException">A file of the checkpoint is malformed or does not fit the other.</exception>
    public static ElboModel Load(string runFolder)
    {
        var (config, model) = TrainedRun.Load(runFolder);
        return new ElboModel(config, model);
    }

    /// <summary>Loads a trained model from its two files, under any names: a run's configuration
    /// (<paramref name="configPath"/>, a config.json) and its weights (<paramref name="weightsPath"/>, a
    /// model.safetensors).</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">A file is malformed, or the weights do not fit the configuration.</exception>
    public static ElboModel Load(string configPath, string weightsPath)
    {
        var (config, model) = TrainedRun.Load(configPath, weightsPath);
        return new ElboModel(config, model);
    }

    /// <summary>The run's configuration (model, likelihood, data, training settings; the table schema for a table).</summary>
    public RunConfig Config { get; }

    /// <summary>The underlying model, in eval mode, for what this class does not cover; calls on it bypass this
    /// instance's lock.</summary>
    public LatentVariableModel Model => _model;

    /// <summary>The shape of one example; <see cref="DataShape.Features"/> values per row of an input array.</summary>
    public DataShape Input => _model.Input;

    /// <summary>The latent dimension L.</summary>
    public int Latent => _model.Latent;

    /// <summary>The number of classes of a conditional model; 0 for an unconditional one.</summary>
    public int Classes => _model.Classes;

    /// <summary>Whether each example needs a class label (0..<see cref="Classes"/>−1).</summary>
    public bool IsConditional => _model.IsConditional;

    /// <summary>The names of the classes (of a conditional model, or of the data's labels), or null when unknown.</summary>
    public IReadOnlyList<string>? ClassNames => Config.LabelNames();

    /// <summary>Whether q(z|x) has a density (a VAE): then <see cref="Score(float[,], int, ulong, ReadOnlySpan{int})"/>
    /// gives −log p(x) and <see cref="Impute"/> works; a plain autoencoder has neither.</summary>
    public bool HasDensity => _model.Posterior.HasDensity;

    /// <summary>The table's schema (its columns, their types and training statistics) for a model of a table; null for
    /// other data.</summary>
    public TableSchema? Table => Config.Table;

    /// <summary>q(z|x) of each row of <paramref name="x"/> (N, D): μ and log σ², each (N, L).</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have <see cref="Input"/>'s width, or a
    /// conditional model's labels are missing or out of range.</exception>
    public LatentEncoding Encode(float[,] x, ReadOnlySpan<int> labels = default)
    {
        var data = ToDataset(x, labels);
        lock (_gate) return ToEncoding(LatentCodes.Encode(_model, data));
    }

    /// <summary>The means of p(x|z) for each latent point of <paramref name="z"/> (N, L): (N, D) (for a table, the D
    /// encoded values: standardized numbers and category probabilities).</summary>
    /// <exception cref="ArgumentException"><paramref name="z"/> does not have L columns, or a conditional model's
    /// labels are missing or out of range.</exception>
    public float[,] Decode(float[,] z, ReadOnlySpan<int> labels = default)
    {
        ArgumentNullException.ThrowIfNull(z);
        int n = Rows(z, Latent, "z", "latent dimensions");
        var points = Flat(z).ToArray();
        lock (_gate)
        {
            var means = LatentDecoding.Means(_model, points, n, labels);
            return ToMatrix(means, n, means.Length / n);
        }
    }

    /// <summary>The means of p(x|z) for <paramref name="n"/> draws z ~ N(0, I) from <paramref name="seed"/>: (n, D).
    /// A conditional model draws every row of class <paramref name="label"/>, or without one, the classes in turn.</summary>
    /// <exception cref="ArgumentException">A label for an unconditional model, or one that is not a class.</exception>
    public float[,] Sample(int n, ulong seed = 1, int? label = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (label is not null && !IsConditional)
            throw new ArgumentException($"{_model.Kind}: a label needs a conditional model, and this one has no classes", nameof(label));
        int[] labels = label is { } l ? Enumerable.Repeat(l, n).ToArray() : [];
        lock (_gate)
            using (GradMode.NoGrad())
            {
                var samples = _model.Sample(n, new Generator(seed), labels);
                return ToMatrix(samples.Data, n, samples.Dim(1));
            }
    }

    /// <summary>The means of p(x|z) at the location of q(z|x) for each row of <paramref name="x"/>: (N, D).</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have <see cref="Input"/>'s width, or a
    /// conditional model's labels are missing or out of range.</exception>
    public float[,] Reconstruct(float[,] x, ReadOnlySpan<int> labels = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = Rows(x, Input.Features, "x", $"values per example ({Input})");
        lock (_gate)
        {
            var means = LatentDecoding.Reconstructions(_model, Flat(x), n, labels);
            return ToMatrix(means, n, means.Length / n);
        }
    }

    /// <summary>How unlikely each row of <paramref name="x"/> is, in nats: its −ELBO and, for a VAE, the
    /// importance-weighted −log p(x) with <paramref name="k"/> samples of q (noise from <paramref name="seed"/>), as
    /// <c>elbo score</c> computes them; higher is more anomalous (<see cref="ExampleScores.Score"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have <see cref="Input"/>'s width, or a
    /// conditional model's labels are missing or out of range.</exception>
    public ExampleScores Score(float[,] x, int k = 100, ulong seed = 1, ReadOnlySpan<int> labels = default)
    {
        var data = ToDataset(x, labels);
        lock (_gate) return ExampleScores.Compute(_model, data, k, seed);
    }

    /// <summary><paramref name="n"/> synthetic rows of a model of a table, in the file's units (numbers, categories by
    /// name, booleans), drawn from p(x|z) with z ~ N(0, I) from <paramref name="seed"/> as <c>elbo sample</c> draws
    /// them: numbers kept within the training range with <paramref name="clip"/>, cells left missing at each column's
    /// training rate with <paramref name="reproduceMissing"/>.</summary>
    /// <exception cref="InvalidOperationException">The model was not trained on a table.</exception>
    public Dictionary<string, string?>[] SampleRows(int n, ulong seed = 1, bool clip = false, bool reproduceMissing = false)
    {
        var schema = RequireTable(nameof(SampleRows));
        lock (_gate) return TableCells.ToRows(TableSampling.Draw(_model, schema, n, new Generator(seed), clip, reproduceMissing));
    }

    /// <summary>q(z|x) of table rows, each a dictionary from column name to cell text as a CSV file would hold it
    /// (null, empty or NA: missing), with the columns the model was trained on (the label column, when the run has
    /// one, gives a conditional model its classes). The model sees which cells are missing.</summary>
    /// <exception cref="InvalidOperationException">The model was not trained on a table.</exception>
    /// <exception cref="DataFormatException">A column is missing or unknown, or a numeric cell is not a number.</exception>
    public LatentEncoding Encode(IEnumerable<IReadOnlyDictionary<string, string?>> rows, int batchSize = 500)
    {
        var data = RowsDataset(rows, nameof(Encode));
        lock (_gate) return ToEncoding(LatentCodes.Encode(_model, data, batchSize: batchSize));
    }

    /// <summary>The scores of table rows (see <see cref="Encode(IEnumerable{IReadOnlyDictionary{string, string}}, int)"/>
    /// for the rows and <see cref="Score(float[,], int, ulong, ReadOnlySpan{int})"/> for the scores): one −ELBO and
    /// −log p(x) per row, over its observed cells.</summary>
    /// <exception cref="InvalidOperationException">The model was not trained on a table.</exception>
    /// <exception cref="DataFormatException">A column is missing or unknown, or a numeric cell is not a number.</exception>
    public ExampleScores Score(IEnumerable<IReadOnlyDictionary<string, string?>> rows, int k = 100, ulong seed = 1)
    {
        var data = RowsDataset(rows, nameof(Score));
        lock (_gate) return ExampleScores.Compute(_model, data, k, seed);
    }

    /// <summary>The table rows with their missing cells filled (MIWAE's importance-weighted conditional mean given the
    /// observed cells, <paramref name="k"/> draws per row from <paramref name="seed"/>), as <c>elbo impute</c> fills
    /// them: one dictionary per row with every column the rows had; observed cells come back as given (in their CSV
    /// spelling).</summary>
    /// <exception cref="InvalidOperationException">The model was not trained on a table.</exception>
    /// <exception cref="ArgumentException">The model is a plain autoencoder (no density to weight the draws by).</exception>
    /// <exception cref="DataFormatException">A column is missing or unknown, or a numeric cell is not a number.</exception>
    public Dictionary<string, string?>[] Impute(IEnumerable<IReadOnlyDictionary<string, string?>> rows, int k = 100, ulong seed = 1)
    {
        var schema = RequireTable(nameof(Impute));
        var table = TableCells.FromRows(rows);
        lock (_gate) return TableCells.ToRows(Imputation.FillMissing(_model, schema, table, k, new Generator(seed)));
    }

    private TableSchema RequireTable(string operation) => Config.Table
        ?? throw new InvalidOperationException($"{operation} takes table rows, and this model was trained on {Config.Dataset} ({Input}), not a table");

    private Dataset RowsDataset(IEnumerable<IReadOnlyDictionary<string, string?>> rows, string operation) =>
        TableDataSource.FromTable(TableCells.FromRows(rows), RequireTable(operation), "(rows)");

    private Dataset ToDataset(float[,] x, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(x);
        Rows(x, Input.Features, "x", $"values per example ({Input})");
        var values = Flat(x).ToArray();
        return new Dataset("(input)", values, labels.IsEmpty ? null : labels.ToArray(), Input, "as given");
    }

    private static LatentEncoding ToEncoding(LatentCodes codes) => new(
        ToMatrix(codes.Mu, codes.Count, codes.Latent),
        codes.Family.ParameterNames.Count > 1 ? ToMatrix(codes.Parameter(1), codes.Count, codes.Latent) : null);

    // The row count of an array that must have `columns` columns (at least one row).
    private static int Rows(float[,] values, int columns, string name, string what)
    {
        if (values.GetLength(1) != columns)
            throw new ArgumentException($"{name} has {values.GetLength(1)} columns; the model needs {columns} {what}", name);
        if (values.GetLength(0) < 1) throw new ArgumentException($"{name} has no rows", name);
        return values.GetLength(0);
    }

    // The values of a 2-D array, row-major, without a copy.
    private static Span<float> Flat(float[,] values) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(values)), values.Length);

    private static float[,] ToMatrix(ReadOnlySpan<float> values, int rows, int columns)
    {
        var result = new float[rows, columns];
        values[..(rows * columns)].CopyTo(Flat(result));
        return result;
    }
}
