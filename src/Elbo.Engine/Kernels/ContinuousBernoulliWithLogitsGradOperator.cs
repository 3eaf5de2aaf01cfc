using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Gradient of the continuous Bernoulli NLL with logits wrt the logits, times a scale (the reduction's factor):
/// (ℓ, x) → scale·(mean(ℓ) − x) = scale·(sigmoid(ℓ) − x − d log C/dℓ), and with a per-element upstream gradient
/// (ℓ, x, dy) → scale·dy·(mean(ℓ) − x). The gradient wrt x is −ℓ, as for binary cross-entropy
/// (<see cref="BceWithLogitsTargetGradOperator"/>).</summary>
public readonly struct ContinuousBernoulliWithLogitsGradOperator : IBinaryOperator, ITernaryOperator,
    IScaledOperator<ContinuousBernoulliWithLogitsGradOperator>
{
    /// <inheritdoc/>
    public static ContinuousBernoulliWithLogitsGradOperator WithScale(float scale) => new(scale);

    private readonly float _scale;

    /// <summary>An operator multiplying the gradient by <paramref name="scale"/>.</summary>
    public ContinuousBernoulliWithLogitsGradOperator(float scale) => _scale = scale;

    /// <inheritdoc/>
    public float Invoke(float logit, float x) => _scale * (ContinuousBernoulliMath.Mean(logit) - x);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> logit, Vector256<float> x)
        => Vector256.Create(_scale) * (ContinuousBernoulliMath.Mean(logit) - x);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> logit, Vector512<float> x)
        => Vector512.Create(_scale) * (ContinuousBernoulliMath.Mean(logit) - x);

    /// <inheritdoc/>
    public float Invoke(float logit, float x, float dy) => _scale * dy * (ContinuousBernoulliMath.Mean(logit) - x);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> logit, Vector256<float> x, Vector256<float> dy)
        => Vector256.Create(_scale) * dy * (ContinuousBernoulliMath.Mean(logit) - x);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> logit, Vector512<float> x, Vector512<float> dy)
        => Vector512.Create(_scale) * dy * (ContinuousBernoulliMath.Mean(logit) - x);
}
