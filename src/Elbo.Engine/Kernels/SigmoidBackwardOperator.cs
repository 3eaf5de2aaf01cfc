using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Sigmoid backward from the output: (y, dy) → dy·y·(1 − y).</summary>
public readonly struct SigmoidBackwardOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float y, float dy) => dy * y * (1f - y);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * y * (Vector256<float>.One - y);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * y * (Vector512<float>.One - y);
}
