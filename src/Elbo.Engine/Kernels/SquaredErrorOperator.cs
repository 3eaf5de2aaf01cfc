using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Squared error, elementwise: (x, t) → (x − t)².</summary>
public readonly struct SquaredErrorOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float x, float t)
    {
        float d = x - t;
        return d * d;
    }
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> t)
    {
        var d = x - t;
        return d * d;
    }
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> t)
    {
        var d = x - t;
        return d * d;
    }
}
