namespace Elbo.Objectives;

/// <summary>The settings an objective may take (each objective reads the ones it has).</summary>
/// <param name="Kl">The KL estimator of the ELBO.</param>
/// <param name="FreeBits">The ELBO's free-bits floor per latent dimension, nats.</param>
/// <param name="K">The importance samples per example of the iwae bound.</param>
public sealed record ObjectiveOptions(KlEstimator Kl = KlEstimator.Closed, float FreeBits = 0f, int K = ObjectiveOptions.IwaeDefaultK)
{
    /// <summary>The default K of the iwae bound.</summary>
    public const int IwaeDefaultK = 5;
}

/// <summary>An objective in the registry: its name and help, the settings of <see cref="ObjectiveOptions"/> it reads
/// (config.json names), how to build it, and how the report names it with its settings.</summary>
public sealed record ObjectiveSpec(string Name, string Help, IReadOnlyList<string> Settings, Func<ObjectiveOptions, Objective> Create,
    Func<ObjectiveOptions, string> Describe) : ISpec
{
    /// <summary>Whether the objective reads the setting <paramref name="setting"/>.</summary>
    public bool Uses(string setting) => Settings.Contains(setting);

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}

/// <summary>Training objectives by name. A new objective is a new <see cref="Objective"/> subclass and one entry here.</summary>
public static class ObjectiveRegistry
{
    /// <summary>The table.</summary>
    public static Registry<ObjectiveSpec> Specs { get; } = new("objective",
        new("elbo", "the evidence lower bound, one z per example", ["kl", "freeBits"],
            o => new ElboObjective(o.Kl, o.FreeBits),
            o => "ELBO" + (o.FreeBits > 0 ? FormattableString.Invariant($", free bits {o.FreeBits:G6}") : "")),
        new("iwae", "the importance-weighted bound with k samples per example (Burda et al. 2015)", ["k"],
            o => new IwaeObjective(o.K),
            o => FormattableString.Invariant($"IWAE bound, k = {o.K}")));

    /// <summary>The objective named <paramref name="name"/> with <paramref name="options"/>.</summary>
    public static Objective Create(string name, ObjectiveOptions options) => Specs.Get(name).Create(options);
}
