using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Mean of the continuous Bernoulli with logits: ℓ → 1/(1 − e^(−ℓ)) − 1/ℓ, ½ at ℓ = 0
/// (<see cref="ContinuousBernoulliMath.Mean(float)"/>).</summary>
public readonly struct ContinuousBernoulliMeanOperator : IUnaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float logit) => ContinuousBernoulliMath.Mean(logit);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> logit) => ContinuousBernoulliMath.Mean(logit);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> logit) => ContinuousBernoulliMath.Mean(logit);
}
