namespace Elbo.Evaluation;

/// <summary>Where the importance samples z_k come from when estimating log p(x).</summary>
public enum Proposal
{
    /// <summary>The encoder's q(z|x) = N(μ(x), diag σ²(x)): log w = log p(x|z) + log N(z; 0, I) − log q(z|x) (IWAE).</summary>
    Posterior,

    /// <summary>The prior N(0, I): log w = log p(x|z). Unbiased for p(x) but almost no sample lands where x is
    /// explained.</summary>
    Prior,
}
