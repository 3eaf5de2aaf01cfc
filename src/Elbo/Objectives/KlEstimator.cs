namespace Elbo.Objectives;

/// <summary>How the KL term KL(q(z|x) ‖ p(z)) is computed.</summary>
public enum KlEstimator
{
    /// <summary>The closed form for diagonal Gaussians against N(0, I): ½ Σ_j (μ_j² + σ_j² − log σ_j² − 1).</summary>
    Closed,
    /// <summary>One-sample Monte Carlo: log q(z|x) − log p(z) at the sampled z (unbiased; the closed form's mean).</summary>
    MonteCarlo,
}
