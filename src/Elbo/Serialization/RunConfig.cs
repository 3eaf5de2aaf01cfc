using Elbo.Data;
using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Objectives;

namespace Elbo.Serialization;

/// <summary>
/// Everything needed to rebuild a run's model and continue or evaluate it, saved as <c>config.json</c> beside the
/// weights (see <see cref="RunConfigFile"/>). A plain data record: the training code fills it and checks the values.
/// </summary>
public sealed record RunConfig
{
    /// <summary>The model (written as its registry name, e.g. <c>mlp</c>, <c>conv</c>).</summary>
    public ModelSpec Model { get; init; } = ModelRegistry.Specs.All[0];

    /// <summary>The likelihood (written as its registry name, e.g. <c>bernoulli</c>, <c>gaussian</c>).</summary>
    public LikelihoodSpec Likelihood { get; init; } = LikelihoodRegistry.Specs.All[0];

    /// <summary>The training objective (written as its registry name; files without one trained the <c>elbo</c>).</summary>
    public ObjectiveSpec Objective { get; init; } = ObjectiveRegistry.Specs.All[0];

    /// <summary>The importance samples per example of the <c>iwae</c> objective (null for other objectives).</summary>
    public int? K { get; init; }

    /// <summary>The number of latent dimensions.</summary>
    public int Latent { get; init; }

    /// <summary>The hidden layer widths of a fully connected model (empty when not used).</summary>
    public int[] Hidden { get; init; } = [];

    /// <summary>The channel counts of a convolutional model's blocks (empty when not used).</summary>
    public int[] Channels { get; init; } = [];

    /// <summary>The number of classes a conditional model is conditioned on (null for an unconditional model).</summary>
    public int? Classes { get; init; }

    /// <summary>The shape of one input example.</summary>
    public DataShape Input { get; init; }

    /// <summary>The data the run trained on: a dataset name (<c>fashion-mnist</c>, <c>mnist</c>) or the absolute path
    /// of a folder of IDX files (what <c>--data</c> said, see <see cref="Data.DataSource.Canonical"/>).</summary>
    public string Dataset { get; init; } = "";

    /// <summary>How an image folder's pictures were prepared (resolved: every field set); null for other data.</summary>
    public ImageFolderOptions? Images { get; init; }

    /// <summary>The share held out for testing, as given (null: the data's own split or the source's default).</summary>
    public double? TestFraction { get; init; }

    /// <summary>The number of examples taken, as given (null: all).</summary>
    public int? Limit { get; init; }

    /// <summary>The label names when the data brought their own (an image folder's class folders, by label); null
    /// otherwise.</summary>
    public string[]? ClassNames { get; init; }

    /// <summary>The cache folder the run's data were loaded through (MNIST's download folder, an image folder's decoded
    /// pixels) when one was given, as an absolute path; null: the default. Later commands on the run use it too.</summary>
    public string? CacheDir { get; init; }

    /// <summary>A table's columns and how each is encoded (inferred from the training rows); null for other data.</summary>
    public Data.Tables.TableSchema? Table { get; init; }

    /// <summary>How the table file was read and split (the columns named as categorical, numeric, dropped, the label,
    /// coerce, a test file, the test fraction and seed), so later commands load the same split; null for other data.</summary>
    public Data.Tables.TableOptions? TableOptions { get; init; }

    /// <summary>How the data were normalized.</summary>
    public NormalizationConfig Normalization { get; init; } = new();

    /// <summary>The number of epochs the run trains for.</summary>
    public int Epochs { get; init; }

    /// <summary>The minibatch size.</summary>
    public int BatchSize { get; init; }

    /// <summary>The learning rate.</summary>
    public double Lr { get; init; }

    /// <summary>The weight of the KL term (β-VAE; 1 for the plain ELBO).</summary>
    public double Beta { get; init; } = 1;

    /// <summary>The number of KL warm-up epochs (0: none).</summary>
    public int Warmup { get; init; }

    /// <summary>The free-bits threshold in nats per latent dimension (0: none).</summary>
    public double FreeBits { get; init; }

    /// <summary>How the KL term is computed: <c>closed</c> (analytic) or <c>mc</c> (Monte Carlo).</summary>
    public KlEstimator Kl { get; init; } = KlEstimator.Closed;

    /// <summary>The fixed standard deviation of a Gaussian likelihood, when it has one (null otherwise).</summary>
    public double? Sigma { get; init; }

    /// <summary>The random seed of the run.</summary>
    public ulong Seed { get; init; }

    /// <summary>The number of worker threads.</summary>
    public int Threads { get; init; }

    /// <summary>The GEMM the run trained with (null in files written before Elbo chose it by measurement).</summary>
    public GemmRecord? Gemm { get; init; }

    /// <summary>The Elbo version that wrote the file.</summary>
    public string ElboVersion { get; init; } = "";

    /// <summary>What the model is built from.</summary>
    public ModelOptions ModelOptions() =>
        new(Model.Name, Input, Latent, Hidden, Channels, Likelihood.Name, (float)(Sigma ?? 1.0), Classes ?? 0,
            Table is null ? null : TabularLayout.FromSchema(Table));

    /// <summary>The data settings that load the run's data again as it was trained on.</summary>
    public DataOptions DataOptions() => new()
    {
        Images = Images ?? new ImageFolderOptions(), TestFraction = TableOptions?.TestFraction ?? TestFraction, Limit = Limit, Seed = Seed,
        Threads = Threads, Table = TableOptions, TableSchema = Table,
    };

    /// <summary>The label names for legends: the data's own (<see cref="ClassNames"/>), else those of the named
    /// dataset (<see cref="Data.ClassNames.For"/>), else null.</summary>
    public IReadOnlyList<string>? LabelNames() => ClassNames ?? Data.ClassNames.For(Dataset);

    /// <summary>What the objective is built from.</summary>
    public ObjectiveOptions ObjectiveOptions() => new(Kl, (float)FreeBits, K ?? Objectives.ObjectiveOptions.IwaeDefaultK);

    /// <summary>The objective, built.</summary>
    public Objective CreateObjective() => Objective.Create(ObjectiveOptions());
}
