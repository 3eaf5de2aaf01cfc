using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>log backward: (x, dy) → dy / x.</summary>
public readonly struct LogBackwardOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float x, float dy) => dy / x;
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => dy / x;
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => dy / x;
}
