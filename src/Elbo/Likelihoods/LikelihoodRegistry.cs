namespace Elbo.Likelihoods;

/// <summary>The settings a likelihood may take (each likelihood reads the ones it has).</summary>
/// <param name="Sigma">The fixed standard deviation of "gaussian".</param>
/// <param name="Table">The column layout of table data, for "tabular" (null for other data).</param>
public sealed record LikelihoodOptions(float Sigma = 1f, TabularLayout? Table = null);

/// <summary>A likelihood in the registry: its name and help, how to build it, and how the report names it with its
/// settings.</summary>
public sealed record LikelihoodSpec(string Name, string Help, Func<LikelihoodOptions, Likelihood> Create,
    Func<LikelihoodOptions, string>? Describe = null, bool UnitInterval = false) : ISpec
{

    /// <summary>How a report names the likelihood: its name, with its settings where it has any.</summary>
    public string Description(LikelihoodOptions options) => Describe?.Invoke(options) ?? Name;

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}

/// <summary>Likelihoods by name, so configuration files and the command line can name them. A new likelihood is a
/// new <see cref="Likelihood"/> subclass and one entry here.</summary>
public static class LikelihoodRegistry
{
    /// <summary>The table.</summary>
    public static Registry<LikelihoodSpec> Specs { get; } = new("likelihood",
        new("bernoulli", "decoder emits logits; BCE on pixels in [0,1] (pytorch/examples)", _ => new BernoulliLikelihood(), UnitInterval: true),
        new("gaussian", "fixed --sigma, a scaled squared error", o => new GaussianLikelihood(o.Sigma),
            o => FormattableString.Invariant($"gaussian (σ = {o.Sigma:G6})")),
        new("gaussian-learned", "decoder emits mean and log-variance per value", _ => new LearnedGaussianLikelihood()),
        new("continuous-bernoulli", "the normalized density for values in [0,1] (Loaiza-Ganem & Cunningham 2019)",
            _ => new ContinuousBernoulliLikelihood(), UnitInterval: true),
        new("tabular", "one factor per table column: Gaussian (numeric), Bernoulli (boolean), categorical; missing values skipped (the default for tables)",
            o => new TabularLikelihood(o.Table ?? throw new SettingException("likelihood", "tabular needs table data (a CSV or Parquet file)"))));

    /// <summary>The names, in the order help texts list them.</summary>
    public static IReadOnlyList<string> Names => Specs.Names;

    /// <summary>Creates the likelihood <paramref name="name"/>; <paramref name="sigma"/> is the fixed standard deviation
    /// of "gaussian", <paramref name="table"/> the column layout "tabular" needs. An unknown name throws a
    /// <see cref="SettingException"/> naming the valid choices.</summary>
    public static Likelihood Create(string name, float sigma = 1f, TabularLayout? table = null) =>
        Specs.Get(name).Create(new LikelihoodOptions(sigma, table));
}
