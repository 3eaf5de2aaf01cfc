using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Leaky ReLU backward: (x, dy) → dy for x &gt; 0, slope·dy otherwise.</summary>
public readonly struct LeakyReluBackwardOperator : IBinaryOperator
{
    private readonly float _slope;

    /// <summary>An operator with the given negative slope.</summary>
    public LeakyReluBackwardOperator(float slope) => _slope = slope;

    /// <inheritdoc/>
    public float Invoke(float x, float dy) => x > 0f ? dy : _slope * dy;
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy, dy * Vector256.Create(_slope));
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), dy, dy * Vector512.Create(_slope));
}
