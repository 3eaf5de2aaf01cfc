using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>sqrt backward from the output: (y, dy) → dy / (2y).</summary>
public readonly struct SqrtBackwardOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float y, float dy) => 0.5f * dy / y;
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => Vector256.Create(0.5f) * dy / y;
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => Vector512.Create(0.5f) * dy / y;
}
