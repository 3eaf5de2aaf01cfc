using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Softplus backward: (x, dy) → dy·sigmoid(x).</summary>
public readonly struct SoftplusBackwardOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float x, float dy) => dy * StableMath.Sigmoid(x);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => dy * StableMath.Sigmoid(x);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => dy * StableMath.Sigmoid(x);
}
