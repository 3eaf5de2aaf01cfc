using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>ReLU backward: (x, dy) → dy·[x &gt; 0].</summary>
public readonly struct ReluBackwardOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float x, float dy) => x > 0f ? dy : 0f;
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => Vector256.BitwiseAnd(dy, Vector256.GreaterThan(x, Vector256<float>.Zero));
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => Vector512.BitwiseAnd(dy, Vector512.GreaterThan(x, Vector512<float>.Zero));
}
