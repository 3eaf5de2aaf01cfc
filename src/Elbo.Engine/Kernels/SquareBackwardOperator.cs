using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>square backward: (x, dy) → 2·x·dy.</summary>
public readonly struct SquareBackwardOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float x, float dy) => 2f * x * dy;
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => Vector256.Create(2f) * x * dy;
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => Vector512.Create(2f) * x * dy;
}
