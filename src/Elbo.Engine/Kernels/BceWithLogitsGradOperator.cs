using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Gradient of binary cross-entropy with logits wrt the logits, times a scale (the reduction's factor):
/// (x, t) → scale·(sigmoid(x) − t), and with a per-element upstream gradient (x, t, dy) → scale·dy·(sigmoid(x) − t).</summary>
public readonly struct BceWithLogitsGradOperator : IBinaryOperator, ITernaryOperator, IScaledOperator<BceWithLogitsGradOperator>
{
    /// <inheritdoc/>
    public static BceWithLogitsGradOperator WithScale(float scale) => new(scale);

    private readonly float _scale;

    /// <summary>An operator multiplying the gradient by <paramref name="scale"/>.</summary>
    public BceWithLogitsGradOperator(float scale) => _scale = scale;

    /// <inheritdoc/>
    public float Invoke(float x, float t) => _scale * (StableMath.Sigmoid(x) - t);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> t) => Vector256.Create(_scale) * (StableMath.Sigmoid(x) - t);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> t) => Vector512.Create(_scale) * (StableMath.Sigmoid(x) - t);

    /// <inheritdoc/>
    public float Invoke(float x, float t, float dy) => _scale * dy * (StableMath.Sigmoid(x) - t);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> t, Vector256<float> dy)
        => Vector256.Create(_scale) * dy * (StableMath.Sigmoid(x) - t);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> t, Vector512<float> dy)
        => Vector512.Create(_scale) * dy * (StableMath.Sigmoid(x) - t);
}
