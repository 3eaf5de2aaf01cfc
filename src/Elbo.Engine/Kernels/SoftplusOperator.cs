using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Softplus log(1 + eˣ), stable: max(x, 0) + log1p(e^(−|x|)) (no overflow for large x, no loss for very
/// negative x).</summary>
public readonly struct SoftplusOperator : IUnaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float x) => MathF.Max(x, 0f) + StableMath.Log1pExpNegAbs(x);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero) + StableMath.Log1pExpNegAbs(x);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero) + StableMath.Log1pExpNegAbs(x);
}
