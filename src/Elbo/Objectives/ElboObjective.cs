using Elbo.Models;

namespace Elbo.Objectives;

/// <summary>
/// The −ELBO with one z sample per example: reconstruction + w·KL, with w = β (times the warm-up ramp, which the
/// trainer passes as <c>klWeight</c>) and optional free bits: with λ &gt; 0 the KL of each latent dimension, averaged over
/// the batch, counts as at least λ nats (Kingma et al. 2016), so the optimizer gains nothing by pushing a dimension's
/// KL below λ. Reported values are always the unweighted −ELBO terms. For a posterior without a density (a plain
/// autoencoder's point mass) it is the reconstruction term alone at z = the code.
/// </summary>
public sealed class ElboObjective : Objective
{
    private readonly NoiseBuffers _noise = new();

    /// <summary>An objective with the given KL estimator and free-bits floor (nats per latent dimension, ≥ 0).</summary>
    public ElboObjective(KlEstimator kl = KlEstimator.Closed, float freeBits = 0f)
    {
        if (!(freeBits >= 0f) || float.IsInfinity(freeBits))
            throw new SettingException("freeBits", $"must be a non-negative number, got {freeBits}");
        Kl = kl;
        FreeBits = freeBits;
    }

    /// <inheritdoc/>
    public override string Name => "elbo";

    /// <summary>The KL estimator.</summary>
    public KlEstimator Kl { get; }

    /// <summary>The free-bits floor λ per latent dimension (0: off).</summary>
    public float FreeBits { get; }

    /// <inheritdoc/>
    public override VaeLoss Loss(LatentVariableModel model, Tensor x, float klWeight, NoiseSource noise, ReadOnlySpan<int> labels = default)
    {
        var q = model.Encode(x, labels);
        int batch = x.Dim(0);
        if (!q.Family.HasDensity)
        {
            var reconstructionOnly = model.Likelihood.NegLogLikelihoodSum(model.Decode(q.Location, labels), x) * (1f / batch);
            return new VaeLoss(reconstructionOnly, reconstructionOnly, null);
        }
        var eps = _noise.Next(noise, batch, q.Latent);
        var z = q.Rsample(eps);
        return Compute(model.Likelihood.NegLogLikelihoodSum(model.Decode(z, labels), x), q, z, eps, klWeight);
    }

    /// <summary>The objective from its parts: <paramref name="reconstructionSum"/> is −log p(x|z) summed over the batch
    /// (rank 0) at z = q.Rsample(ε), both (B, L); <paramref name="klWeight"/> is β times the warm-up ramp.</summary>
    public VaeLoss Compute(Tensor reconstructionSum, Distributions.Posterior q, Tensor z, Tensor eps, float klWeight)
    {
        float perExample = 1f / q.Batch;
        var reconstruction = reconstructionSum * perExample;
        var klPerDim = q.KlPerDimension(Kl, z, eps);
        Tensor kl, klTerm;
        if (FreeBits > 0f)
        {
            var perDim = klPerDim.Mean(0);                                 // (L): batch-averaged KL per dimension
            kl = perDim.Sum();
            klTerm = ((perDim - FreeBits).Relu() + FreeBits).Sum();       // Σ_j max(KL_j, λ)
        }
        else
        {
            kl = klPerDim.Sum() * perExample;
            klTerm = kl;
        }
        var objective = klWeight == 0f ? reconstruction : reconstruction + klTerm * klWeight;
        return new VaeLoss(objective, reconstruction, kl);
    }
}
