using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Gradient of the Gaussian NLL wrt the log-variance, times a scale: (μ, lv, t) → scale·0.5·(1 − (t − μ)²·e^(−lv)),
/// and with a per-element upstream gradient (μ, lv, t, dy) → the same times dy.</summary>
public readonly struct GaussianNllLogVarGradOperator : ITernaryOperator, IQuaternaryOperator
{
    private readonly float _halfScale;

    /// <summary>An operator multiplying the gradient by <paramref name="scale"/>.</summary>
    public GaussianNllLogVarGradOperator(float scale) => _halfScale = 0.5f * scale;

    /// <inheritdoc/>
    public float Invoke(float mean, float logVar, float t) => _halfScale * (1f - StableMath.ScaledSquare(t - mean, logVar));
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> mean, Vector256<float> logVar, Vector256<float> t)
        => Vector256.Create(_halfScale) * (Vector256<float>.One - StableMath.ScaledSquare(t - mean, logVar));
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> mean, Vector512<float> logVar, Vector512<float> t)
        => Vector512.Create(_halfScale) * (Vector512<float>.One - StableMath.ScaledSquare(t - mean, logVar));

    /// <inheritdoc/>
    public float Invoke(float mean, float logVar, float t, float dy) => _halfScale * dy * (1f - StableMath.ScaledSquare(t - mean, logVar));
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> mean, Vector256<float> logVar, Vector256<float> t, Vector256<float> dy)
        => Vector256.Create(_halfScale) * dy * (Vector256<float>.One - StableMath.ScaledSquare(t - mean, logVar));
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> mean, Vector512<float> logVar, Vector512<float> t, Vector512<float> dy)
        => Vector512.Create(_halfScale) * dy * (Vector512<float>.One - StableMath.ScaledSquare(t - mean, logVar));
}
