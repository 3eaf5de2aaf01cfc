using Elbo.Api;
using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Evaluation;
using Elbo.Models;
using Elbo.Serialization;
using Elbo.Training;

namespace Elbo.Server;

/// <summary>
/// A trained run as the server holds it, loaded once and then only read: the run's <see cref="ElboModel"/> (the
/// library's one way of loading a run folder: its configuration and its model in eval mode), the run's test split
/// (<see cref="TrainedRun.LoadData"/>; for a table also its rows as the file holds them), the KL per latent dimension
/// of eval.json when there is one, and the explorer's encoded test points. Nothing here writes to the run folder.
/// <para>Concurrency: the server calls the library on <see cref="Model"/> (<see cref="ElboModel.Model"/>) —
/// <see cref="LatentCodes"/>, <see cref="LatentDecoding"/>, <see cref="ExampleScores"/>, <see cref="TableSampling"/> —
/// and never <see cref="ElboModel"/>'s own Encode, Decode, Score and the rest. Those take the instance's lock, which
/// would run the server's requests one at a time whatever <c>--concurrency</c> says; the lock only keeps one batch's
/// activations per instance in memory and guards no state, since ElboModel's methods only read the model too. So the
/// ElboModel stays private here: no request can reach its locked methods, only <see cref="Model"/>. The
/// server bounds its calls with its own gate instead (<see cref="ModelGate"/>: at most <c>--concurrency</c> at once),
/// and calls that run together are safe because a model in eval mode is only read and the engine's scratch state is
/// per thread (ModelGate's summary lists what was checked; docs/serve.md, Concurrency).</para>
/// </summary>
public sealed class ServedRun
{
    /// <summary>The number of test examples the explorer shows by default.</summary>
    public const int DefaultPoints = 2000;

    private readonly ElboModel _loaded;

    private ServedRun(string directory, ElboModel loaded, Dataset test, Table? testRows, double[]? evalKl, string? evalNote,
        ExplorerCodes explorer)
    {
        Directory = directory;
        _loaded = loaded;
        Test = test;
        TestRows = testRows;
        EvalKl = evalKl;
        EvalNote = evalNote;
        Explorer = explorer;
    }

    /// <summary>The run folder.</summary>
    public string Directory { get; }

    /// <summary>The run's configuration (<see cref="ElboModel.Config"/>).</summary>
    public RunConfig Config => _loaded.Config;

    /// <summary>The model, in eval mode (<see cref="ElboModel.Model"/>), called by requests in parallel without
    /// ElboModel's lock (see the class's summary).</summary>
    public LatentVariableModel Model => _loaded.Model;

    /// <summary>The test split the <c>test</c> indices of a request refer to.</summary>
    public Dataset Test { get; }

    /// <summary>For a table run: the test rows as the file holds them (original units, missing cells kept), row i
    /// being example i of <see cref="Test"/>; null for other data.</summary>
    public Table? TestRows { get; }

    /// <summary>The table schema, or null for a run that is not of a table (<see cref="ElboModel.Table"/>).</summary>
    public TableSchema? Schema => _loaded.Table;

    /// <summary>The label names by label, or null (<see cref="ElboModel.ClassNames"/>).</summary>
    public IReadOnlyList<string>? LabelNames => _loaded.ClassNames;

    /// <summary>KL per latent dimension from the run's eval.json (the whole test evaluation), or null when there is
    /// none (or it is an autoencoder's, or of another latent size).</summary>
    public double[]? EvalKl { get; }

    /// <summary>Why eval.json was not used when it is there but unreadable, or null.</summary>
    public string? EvalNote { get; }

    /// <summary>The test points of the latent explorer.</summary>
    public ExplorerCodes Explorer { get; }

    /// <summary>The latent dimensions by decreasing information: by eval.json's KL when the run has one, else by the
    /// explorer points' (<see cref="LatentCodes.DimensionsByInformation"/>).</summary>
    public int[] Ranking => Explorer.Ranking;

    /// <summary>Loads the run in <paramref name="directory"/> with its test split (or <paramref name="data"/>'s) and
    /// encodes the first <paramref name="points"/> test examples for the explorer.</summary>
    /// <exception cref="RunNotFoundException">No checkpoint.</exception>
    /// <exception cref="CheckpointFormatException">A file of the checkpoint is malformed or does not fit the other.</exception>
    /// <exception cref="ArgumentException">Data that do not fit the model, or points below 1.</exception>
    public static ServedRun Load(string directory, string? data = null, int points = DefaultPoints)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (points < 1) throw new ArgumentException($"--points must be positive, got {points}");
        var loaded = ElboModel.Load(directory);
        var (config, model) = (loaded.Config, loaded.Model);
        var test = TrainedRun.LoadData(config, data).Test;
        Table? rows = null;
        if (config.Table is not null)
        {
            rows = string.IsNullOrEmpty(data)
                ? TableDataSource.Rows(config.Dataset, config.TableOptions ?? new TableOptions()).Test
                : TableReader.Read(Path.GetFullPath(data));
            if (rows.RowCount != test.Count)
                throw new DataFormatException(config.Dataset, $"{rows.RowCount} rows for {test.Count} encoded test rows");
        }
        var (kl, note) = ReadEvalKl(directory, model);
        var explorer = ExplorerCodes.Compute(model, test, Math.Min(points, test.Count), kl);
        return new ServedRun(Path.GetFullPath(directory), loaded, test, rows, kl, note, explorer);
    }

    // eval.json's KL per dimension, when it is a VAE's of this latent size.
    private static (double[]? Kl, string? Note) ReadEvalKl(string directory, LatentVariableModel model)
    {
        string path = EvalResultFile.PathIn(directory);
        if (!File.Exists(path)) return (null, null);
        try
        {
            var result = EvalResultFile.Read(path);
            if (result.Deterministic || result.KlPerDimension.Length != model.Latent) return (null, $"{path} has no KL per dimension for latent {model.Latent}");
            return (result.KlPerDimension, null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return (null, e.Message.Split('\n')[0]);
        }
    }
}
