using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Binary cross-entropy with logits, elementwise: (x, t) → max(x, 0) − x·t + log1p(e^(−|x|)). Finite for every
/// finite x.</summary>
public readonly struct BceWithLogitsOperator : IBinaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float x, float t) => MathF.Max(x, 0f) - x * t + StableMath.Log1pExpNegAbs(x);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> t)
        => Vector256.Max(x, Vector256<float>.Zero) - x * t + StableMath.Log1pExpNegAbs(x);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> t)
        => Vector512.Max(x, Vector512<float>.Zero) - x * t + StableMath.Log1pExpNegAbs(x);
}
