using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>ReLU: max(x, 0).</summary>
public readonly struct ReluOperator : IUnaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float x) => x > 0f ? x : 0f;
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.BitwiseAnd(x, Vector256.GreaterThan(x, Vector256<float>.Zero));
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.BitwiseAnd(x, Vector512.GreaterThan(x, Vector512<float>.Zero));
}
