using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Gradient of binary cross-entropy with logits wrt the target, times a scale: x → −scale·x, and with a
/// per-element upstream gradient (x, dy) → −scale·x·dy.</summary>
public readonly struct BceWithLogitsTargetGradOperator : IUnaryOperator, IBinaryOperator
{
    private readonly float _negScale;

    /// <summary>An operator multiplying the gradient by <paramref name="scale"/>.</summary>
    public BceWithLogitsTargetGradOperator(float scale) => _negScale = -scale;

    /// <inheritdoc/>
    public float Invoke(float x) => _negScale * x;
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Create(_negScale) * x;
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Create(_negScale) * x;

    /// <inheritdoc/>
    public float Invoke(float x, float dy) => _negScale * x * dy;
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => Vector256.Create(_negScale) * x * dy;
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => Vector512.Create(_negScale) * x * dy;
}
