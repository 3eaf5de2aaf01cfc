using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>a·b (exp's backward from the output, dropout's backward through its mask).</summary>
public readonly struct MultiplyOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float a, float b) => a * b;
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a * b;
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a * b;
}
