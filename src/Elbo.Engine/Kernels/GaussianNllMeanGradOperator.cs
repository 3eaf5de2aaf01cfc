using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Gradient of the Gaussian NLL wrt the mean, times a scale: (μ, lv, t) → scale·(μ − t)·e^(−lv), and with a
/// per-element upstream gradient (μ, lv, t, dy) → scale·dy·(μ − t)·e^(−lv). The gradient wrt the target is the same
/// with −scale.</summary>
public readonly struct GaussianNllMeanGradOperator : ITernaryOperator, IQuaternaryOperator
{
    private readonly float _scale;

    /// <summary>An operator multiplying the gradient by <paramref name="scale"/>.</summary>
    public GaussianNllMeanGradOperator(float scale) => _scale = scale;

    /// <inheritdoc/>
    public float Invoke(float mean, float logVar, float t) => _scale * StableMath.ScaledResidual(mean - t, logVar);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> mean, Vector256<float> logVar, Vector256<float> t)
        => Vector256.Create(_scale) * StableMath.ScaledResidual(mean - t, logVar);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> mean, Vector512<float> logVar, Vector512<float> t)
        => Vector512.Create(_scale) * StableMath.ScaledResidual(mean - t, logVar);

    /// <inheritdoc/>
    public float Invoke(float mean, float logVar, float t, float dy) => _scale * dy * StableMath.ScaledResidual(mean - t, logVar);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> mean, Vector256<float> logVar, Vector256<float> t, Vector256<float> dy)
        => Vector256.Create(_scale) * dy * StableMath.ScaledResidual(mean - t, logVar);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> mean, Vector512<float> logVar, Vector512<float> t, Vector512<float> dy)
        => Vector512.Create(_scale) * dy * StableMath.ScaledResidual(mean - t, logVar);
}
