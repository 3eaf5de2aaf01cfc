using System.Text.Json.Serialization;

namespace Elbo.Objectives;

/// <summary>How the KL term KL(q(z|x) ‖ p(z)) is computed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KlEstimator>))]
public enum KlEstimator
{
    /// <summary>The closed form for diagonal Gaussians against N(0, I): ½ Σ_j (μ_j² + σ_j² − log σ_j² − 1).</summary>
    [JsonStringEnumMemberName("closed")] Closed,
    /// <summary>One-sample Monte Carlo: log q(z|x) − log p(z) at the sampled z (unbiased; the closed form's mean).</summary>
    [JsonStringEnumMemberName("mc")] MonteCarlo,
}

/// <summary>The names config.json and the command line give the KL estimators.</summary>
public static class KlEstimators
{
    /// <summary>"closed" or "mc".</summary>
    public static string Name(KlEstimator kl) => kl == KlEstimator.MonteCarlo ? "mc" : "closed";

    /// <summary>"closed (analytic)" or "mc (Monte Carlo)", for reports.</summary>
    public static string Describe(KlEstimator kl) => kl == KlEstimator.MonteCarlo ? "mc (Monte Carlo)" : "closed (analytic)";

    /// <summary>The estimator named <paramref name="name"/>; another name throws a <see cref="SettingException"/>.</summary>
    public static KlEstimator Parse(string? name) => name switch
    {
        "closed" => KlEstimator.Closed,
        "mc" => KlEstimator.MonteCarlo,
        _ => throw new SettingException("kl", $"must be closed or mc, got '{name}'"),
    };
}
