namespace Elbo.Objectives;

/// <summary>The KL term of the ELBO per example and latent dimension, for q(z|x) = N(μ, diag σ²) (σ² = exp(log σ²))
/// against the prior p(z) = N(0, I).</summary>
public static class KlDivergence
{
    /// <summary>Closed form, (B, L): ½ (μ² + σ² − log σ² − 1).</summary>
    public static Tensor ClosedForm(Tensor mu, Tensor logVar) => (mu.Square() + logVar.Exp() - logVar - 1f) * 0.5f;

    /// <summary>One-sample Monte Carlo estimate, (B, L): log q(z|x) − log p(z) at z = μ + σ·ε, which is
    /// ½ (z² − ε² − log σ²) per dimension (the log 2π terms cancel). Differentiable through z and log σ²; ε is the
    /// noise that produced z.</summary>
    public static Tensor MonteCarlo(Tensor z, Tensor eps, Tensor logVar) => (z.Square() - eps.Square() - logVar) * 0.5f;
}
