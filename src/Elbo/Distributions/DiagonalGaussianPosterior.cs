using Elbo.Objectives;

namespace Elbo.Distributions;

/// <summary>q(z|x) = N(μ, diag σ²) with σ² = exp(log σ²), the VAE's posterior; μ and log σ² are (B, L).</summary>
public sealed class DiagonalGaussianPosterior : Posterior
{
    /// <summary>The posterior with mean <paramref name="mu"/> and log-variance <paramref name="logVar"/>, both (B, L).</summary>
    public DiagonalGaussianPosterior(Tensor mu, Tensor logVar)
    {
        ArgumentNullException.ThrowIfNull(mu);
        ArgumentNullException.ThrowIfNull(logVar);
        if (mu.Rank != 2 || !mu.Shape.SequenceEqual(logVar.Shape))
            throw new ArgumentException($"diagonal Gaussian: μ {mu.ShapeString} and log σ² {logVar.ShapeString} must both be (B, L)");
        Mu = mu;
        LogVar = logVar;
    }

    /// <summary>μ, (B, L).</summary>
    public Tensor Mu { get; }

    /// <summary>log σ², (B, L).</summary>
    public Tensor LogVar { get; }

    /// <inheritdoc/>
    public override Tensor Location => Mu;

    /// <summary>[μ, log σ²].</summary>
    public override IReadOnlyList<Tensor> Parameters => [Mu, LogVar];

    /// <inheritdoc/>
    public override PosteriorFamily Family => PosteriorFamily.DiagonalGaussian;

    /// <summary>z = μ + exp(½ log σ²) ⊙ ε.</summary>
    public override Tensor Rsample(Tensor eps)
    {
        var sigma = (LogVar * 0.5f).Exp();
        if (eps.Rank == 2) return Mu + eps * sigma;
        var (b, l) = (Batch, Latent);
        return Mu.Reshape(b, 1, l) + eps * sigma.Reshape(b, 1, l);
    }

    /// <summary>−½ Σ_j (log 2π + log σ²_j + (z_j − μ_j)²/σ²_j).</summary>
    public override Tensor LogProb(Tensor z)
    {
        var (b, l) = (Batch, Latent);
        Tensor mu = Mu, logVar = LogVar;
        if (z.Rank == 3)
        {
            mu = Mu.Reshape(b, 1, l);
            logVar = LogVar.Reshape(b, 1, l);
        }
        var standardized = (z - mu) * (logVar * -0.5f).Exp();
        return ((standardized.Square() + logVar) * -0.5f).Sum(z.Rank - 1).Affine(1f, -0.5f * LogTwoPi * l);
    }

    /// <summary>Closed form ½ (μ² + σ² − log σ² − 1), or the Monte Carlo ½ (z² − ε² − log σ²) (the log 2π terms
    /// cancel), differentiable through z and log σ².</summary>
    public override Tensor KlPerDimension(KlEstimator estimator, Tensor z, Tensor eps) => estimator == KlEstimator.Closed
        ? KlDivergence.ClosedForm(Mu, LogVar)
        : KlDivergence.MonteCarlo(z, eps, LogVar);
}
