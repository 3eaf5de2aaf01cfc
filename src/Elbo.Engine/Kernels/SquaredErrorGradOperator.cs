using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>Gradient of the squared error wrt the input, times a scale: (x, t) → 2·scale·(x − t), and with a per-element
/// upstream gradient (x, t, dy) → 2·scale·dy·(x − t). The gradient wrt the target is the same with −scale.</summary>
public readonly struct SquaredErrorGradOperator : IBinaryOperator, ITernaryOperator
{
    private readonly float _twoScale;

    /// <summary>An operator multiplying the gradient by <paramref name="scale"/>.</summary>
    public SquaredErrorGradOperator(float scale) => _twoScale = 2f * scale;

    /// <inheritdoc/>
    public float Invoke(float x, float t) => _twoScale * (x - t);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> t) => Vector256.Create(_twoScale) * (x - t);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> t) => Vector512.Create(_twoScale) * (x - t);

    /// <inheritdoc/>
    public float Invoke(float x, float t, float dy) => _twoScale * dy * (x - t);
    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> t, Vector256<float> dy) => Vector256.Create(_twoScale) * dy * (x - t);
    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> t, Vector512<float> dy) => Vector512.Create(_twoScale) * dy * (x - t);
}
