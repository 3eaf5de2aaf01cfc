using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Backward of the continuous Bernoulli mean from the input: (ℓ, dy) → dy·d mean/dℓ = dy·Var[x]
/// (<see cref="ContinuousBernoulliMath.Variance(float)"/>).</summary>
public readonly struct ContinuousBernoulliMeanBackwardOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float logit, float dy) => dy * ContinuousBernoulliMath.Variance(logit);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> logit, Vector256<float> dy) => dy * ContinuousBernoulliMath.Variance(logit);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> logit, Vector512<float> dy) => dy * ContinuousBernoulliMath.Variance(logit);
}
