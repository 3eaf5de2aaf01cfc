using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Leaky ReLU: x for x &gt; 0, slope·x otherwise.</summary>
public readonly struct LeakyReluOperator : IUnaryOperator
{
    private readonly float _slope;

    /// <summary>An operator with the given negative slope.</summary>
    public LeakyReluOperator(float slope) => _slope = slope;

    /// <inheritdoc/>
    public float Invoke(float x) => x > 0f ? x : _slope * x;
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x)
        => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * Vector256.Create(_slope));
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x)
        => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * Vector512.Create(_slope));
}
