namespace Elbo.Likelihoods;

/// <summary>Likelihoods by name, so configuration files and the command line can name them.</summary>
public static class LikelihoodRegistry
{
    /// <summary>The names, in the order help texts list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["bernoulli", "gaussian", "gaussian-learned"];

    /// <summary>Creates the likelihood <paramref name="name"/>; <paramref name="sigma"/> is the fixed standard deviation
    /// of "gaussian". Throws ArgumentException naming the valid choices for an unknown name.</summary>
    public static Likelihood Create(string name, float sigma = 1f) => name switch
    {
        "bernoulli" => new BernoulliLikelihood(),
        "gaussian" => new GaussianLikelihood(sigma),
        "gaussian-learned" => new LearnedGaussianLikelihood(),
        _ => throw new ArgumentException($"unknown likelihood '{name}' (choose {string.Join(", ", Names)})"),
    };
}
