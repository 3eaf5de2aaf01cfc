using Elbo.Objectives;

namespace Elbo.Distributions;

/// <summary>
/// q(z|x) for a batch, as an encoder gives it: a distribution over the latent space per example that answers for
/// itself — where it sits, how to draw a reparameterized sample, its log-density and its KL to the prior N(0, I).
/// Code that uses a model asks the posterior (or its <see cref="Family"/>), never which model made it.
/// </summary>
public abstract class Posterior
{
    /// <summary>The location of q per example, (B, L): the mean μ of a Gaussian, the code of a point mass. It is
    /// what a reconstruction decodes and what a latent scatter shows.</summary>
    public abstract Tensor Location { get; }

    /// <summary>What kind of distribution this is, and what it supports.</summary>
    public abstract PosteriorFamily Family { get; }

    /// <summary>q's parameters, each (B, L), in the order of <see cref="PosteriorFamily.ParameterNames"/>: the
    /// location first.</summary>
    public abstract IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The number of examples B.</summary>
    public int Batch => Location.Dim(0);

    /// <summary>The latent dimension L.</summary>
    public int Latent => Location.Dim(1);

    /// <summary>Reparameterized samples z from standard normal noise: <paramref name="eps"/> (B, L) gives one z per
    /// example, (B, K, L) gives K per example. Differentiable in q's parameters.</summary>
    public abstract Tensor Rsample(Tensor eps);

    /// <summary>log q(z|x) summed over the latent dimensions: z (B, L) → (B), or (B, K, L) → (B, K). Only for a
    /// family with <see cref="PosteriorFamily.HasDensity"/>.</summary>
    public abstract Tensor LogProb(Tensor z);

    /// <summary>KL(q(z|x) ‖ N(0, I)) per example and latent dimension, (B, L): in closed form, or as the one-sample
    /// Monte Carlo estimate log q(z|x) − log p(z) at <paramref name="z"/> = Rsample(<paramref name="eps"/>). Only for a
    /// family with <see cref="PosteriorFamily.HasDensity"/>.</summary>
    public abstract Tensor KlPerDimension(KlEstimator estimator, Tensor z, Tensor eps);

    /// <summary>log N(z; 0, I) summed over the latent dimensions: (B, L) → (B), (B, K, L) → (B, K).</summary>
    public static Tensor LogPrior(Tensor z) => (z.Square() * -0.5f).Sum(z.Rank - 1).Affine(1f, -0.5f * LogTwoPi * z.Dim(z.Rank - 1));

    /// <summary>log 2π.</summary>
    public const float LogTwoPi = 1.8378770664093453f;

    /// <summary>The error for asking a family without a density for <paramref name="what"/>.</summary>
    protected InvalidOperationException NoDensity(string what) =>
        new($"{what} needs a posterior with a density; a {Family.Name} has none");
}
