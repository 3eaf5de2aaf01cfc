using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Gaussian negative log-likelihood with log-variance, elementwise: (μ, lv, t) → 0.5·(c + lv + (t − μ)²·e^(−lv)),
/// with c = log 2π for the full likelihood, else 0. A zero residual contributes 0 even where e^(−lv) overflows.</summary>
public readonly struct GaussianNllOperator : ITernaryOperator
{
    /// <summary>log 2π.</summary>
    public const float Log2Pi = 1.8378770664093453f;

    private readonly float _constant;

    /// <summary>An operator including log 2π when <paramref name="full"/>.</summary>
    public GaussianNllOperator(bool full) => _constant = full ? Log2Pi : 0f;

    /// <inheritdoc/>
    public float Invoke(float mean, float logVar, float t)
        => 0.5f * (_constant + logVar + StableMath.ScaledSquare(t - mean, logVar));
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> mean, Vector256<float> logVar, Vector256<float> t)
        => Vector256.Create(0.5f) * (Vector256.Create(_constant) + logVar + StableMath.ScaledSquare(t - mean, logVar));
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> mean, Vector512<float> logVar, Vector512<float> t)
        => Vector512.Create(0.5f) * (Vector512.Create(_constant) + logVar + StableMath.ScaledSquare(t - mean, logVar));
}
