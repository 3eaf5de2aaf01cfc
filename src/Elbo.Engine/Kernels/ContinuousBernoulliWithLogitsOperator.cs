using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Continuous Bernoulli negative log-likelihood with logits, elementwise: (ℓ, x) → −log p(x | ℓ) =
/// BCEWithLogits(ℓ, x) − log C(ℓ) (<see cref="ContinuousBernoulliMath.Nll(float, float)"/>). Finite for every finite ℓ.</summary>
public readonly struct ContinuousBernoulliWithLogitsOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float logit, float x) => ContinuousBernoulliMath.Nll(logit, x);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> logit, Vector256<float> x) => ContinuousBernoulliMath.Nll(logit, x);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> logit, Vector512<float> x) => ContinuousBernoulliMath.Nll(logit, x);
}
