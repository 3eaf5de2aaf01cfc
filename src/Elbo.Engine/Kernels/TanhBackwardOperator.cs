using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>tanh backward from the output: (y, dy) → dy·(1 − y²).</summary>
public readonly struct TanhBackwardOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float y, float dy) => dy * (1f - y * y);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * (Vector256<float>.One - y * y);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * (Vector512<float>.One - y * y);
}
