namespace Elbo.Objectives;

/// <summary>
/// The training objective built on the −ELBO: reconstruction + w·KL, with w = β (times the warm-up ramp, which the
/// trainer passes as <c>klWeight</c>) and optional free bits: with λ &gt; 0 the KL of each latent dimension, averaged over
/// the batch, counts as at least λ nats (Kingma et al. 2016), so the optimizer gains nothing by pushing a dimension's
/// KL below λ. Reported values are always the unweighted −ELBO terms.
/// </summary>
public sealed class ElboObjective
{
    /// <summary>An objective with the given KL estimator and free-bits floor (nats per latent dimension, ≥ 0).</summary>
    public ElboObjective(KlEstimator kl = KlEstimator.Closed, float freeBits = 0f)
    {
        if (!(freeBits >= 0f) || float.IsInfinity(freeBits))
            throw new ArgumentOutOfRangeException(nameof(freeBits), freeBits, "free bits must be a non-negative number");
        Kl = kl;
        FreeBits = freeBits;
    }

    /// <summary>The KL estimator.</summary>
    public KlEstimator Kl { get; }

    /// <summary>The free-bits floor λ per latent dimension (0: off).</summary>
    public float FreeBits { get; }

    /// <summary>Evaluates the objective on a batch: <paramref name="reconstructionSum"/> is −log p(x|z) summed over the
    /// batch (rank 0); μ, log σ², z and ε are (B, L); <paramref name="klWeight"/> is β times the warm-up ramp.</summary>
    public VaeLoss Compute(Tensor reconstructionSum, Tensor mu, Tensor logVar, Tensor z, Tensor eps, float klWeight)
    {
        int batch = mu.Dim(0);
        float perExample = 1f / batch;
        var reconstruction = reconstructionSum * perExample;
        var klPerDim = Kl == KlEstimator.Closed ? KlDivergence.ClosedForm(mu, logVar) : KlDivergence.MonteCarlo(z, eps, logVar);
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

    /// <summary>The objective of a deterministic autoencoder: the reconstruction term alone.</summary>
    public static VaeLoss Reconstruction(Tensor reconstructionSum, int batch)
    {
        var reconstruction = reconstructionSum * (1f / batch);
        return new VaeLoss(reconstruction, reconstruction, null);
    }
}
