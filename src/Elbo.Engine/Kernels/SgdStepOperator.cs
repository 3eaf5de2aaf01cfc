using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>
/// One SGD step (torch.optim.SGD, single-tensor path) of a weight p from its gradient g, in place:
/// <code>
/// g ← g + weight_decay·p
/// b ← g at the parameter's first update, else momentum·b + (1−dampening)·g     (with momentum: the update form)
/// g ← g + momentum·b (nesterov) or b
/// p ← p − lr·g
/// </code>
/// in float32 in PyTorch's order. Without momentum it is the binary form p ← f(p, g) (run with p as the destination);
/// with momentum the two-vector update (p, b) ← f(p, b, g). The vector forms perform the scalar form's float operations.
/// </summary>
public readonly struct SgdStepOperator : IBinaryOperator, IUpdate2Operator
{
    private readonly float _l2, _momentum, _oneMinusDampening, _negLr;
    private readonly bool _useL2, _first, _nesterov;

    /// <summary>A step with these hyperparameters; <paramref name="first"/> at the parameter's first update (the
    /// momentum buffer starts as the gradient).</summary>
    public SgdStepOperator(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool first)
    {
        _l2 = (float)weightDecay;
        _momentum = (float)momentum;
        _oneMinusDampening = (float)(1.0 - dampening);
        _negLr = (float)-lr;
        _useL2 = _l2 != 0f;
        _first = first;
        _nesterov = nesterov;
    }

    /// <summary>Plain SGD: the new weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float p, float g) => p + _negLr * (_useL2 ? g + _l2 * p : g);
    /// <inheritdoc cref="Invoke(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> p, Vector256<float> g) => p + Vector256.Create(_negLr) * (_useL2 ? g + Vector256.Create(_l2) * p : g);
    /// <inheritdoc cref="Invoke(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> p, Vector512<float> g) => p + Vector512.Create(_negLr) * (_useL2 ? g + Vector512.Create(_l2) * p : g);

    /// <summary>SGD with momentum: the weight and its momentum buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invoke(ref float p, ref float b, float g)
    {
        if (_useL2) g += _l2 * p;
        b = _first ? g : b * _momentum + _oneMinusDampening * g;
        p += _negLr * (_nesterov ? g + _momentum * b : b);
    }

    /// <inheritdoc cref="Invoke(ref float, ref float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invoke(ref Vector256<float> p, ref Vector256<float> b, Vector256<float> g)
    {
        if (_useL2) g += Vector256.Create(_l2) * p;
        b = _first ? g : b * Vector256.Create(_momentum) + Vector256.Create(_oneMinusDampening) * g;
        p += Vector256.Create(_negLr) * (_nesterov ? g + Vector256.Create(_momentum) * b : b);
    }

    /// <inheritdoc cref="Invoke(ref float, ref float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invoke(ref Vector512<float> p, ref Vector512<float> b, Vector512<float> g)
    {
        if (_useL2) g += Vector512.Create(_l2) * p;
        b = _first ? g : b * Vector512.Create(_momentum) + Vector512.Create(_oneMinusDampening) * g;
        p += Vector512.Create(_negLr) * (_nesterov ? g + Vector512.Create(_momentum) * b : b);
    }
}
