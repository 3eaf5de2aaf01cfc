using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Kernels;

/// <summary>
/// One Adam step (torch.optim.Adam/AdamW, non-amsgrad single-tensor path) of a weight p, its moments m and v, from the
/// gradient g, in place:
/// <code>
/// g ← g + weight_decay·p                       (L2 penalty; Adam)
/// p ← (1 − lr·weight_decay)·p                  (decoupled decay; AdamW)
/// m ← lerp(m, g, 1−β1)                         (= β1·m + (1−β1)·g, PyTorch's lerp form)
/// v ← β2·v + (1−β2)·g·g
/// m, v ← 0 where below the smallest normal float
/// p ← p − lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + eps)
/// </code>
/// in float32 in PyTorch's order, the bias corrections and step size in double as PyTorch's Python scalars. The vector
/// forms perform exactly the scalar form's float operations, so every width gives the same bits.
/// </summary>
public readonly struct AdamStepOperator : IUpdate3Operator
{
    // The smallest normal float32. Moments below it are set to zero: a weight whose gradient stays zero (e.g. for an
    // image border pixel that is always black) has its first moment decay by β₁ each step into the subnormal range,
    // where every multiplication costs a microcode assist (≈100 cycles) — it made whole training steps 30 % slower.
    // A subnormal moment moves no parameter (lr·m̂/(√v̂+ε) is below float32's resolution of any weight above 1e-30,
    // and √v̂ ≪ ε), so flushing it changes no result.
    private const float SmallestNormal = 1.17549435e-38f;

    private readonly float _l2, _decay, _lerpWeight, _oneMinusLerpWeight, _beta2, _oneMinusBeta2, _negStepSize, _biasCorrection2Sqrt, _eps;
    private readonly bool _useL2, _useDecay, _lerpLow;

    /// <summary>The step <paramref name="step"/> (1 at a parameter's first update) with these hyperparameters; the
    /// weight decay is an L2 term (Adam) or, when <paramref name="decoupledWeightDecay"/>, a decay of p (AdamW).</summary>
    public AdamStepOperator(double lr, double beta1, double beta2, double eps, double weightDecay, bool decoupledWeightDecay, long step)
    {
        _decay = decoupledWeightDecay ? (float)(1.0 - lr * weightDecay) : 1f;
        _l2 = decoupledWeightDecay ? 0f : (float)weightDecay;
        _lerpWeight = (float)(1.0 - beta1);
        _oneMinusLerpWeight = 1f - _lerpWeight;
        _beta2 = (float)beta2;
        _oneMinusBeta2 = (float)(1.0 - beta2);
        _negStepSize = (float)-(lr / (1.0 - Math.Pow(beta1, step)));
        _biasCorrection2Sqrt = (float)Math.Sqrt(1.0 - Math.Pow(beta2, step));
        _eps = (float)eps;
        _useL2 = _l2 != 0f;
        _useDecay = _decay != 1f;
        _lerpLow = Math.Abs(_lerpWeight) < 0.5f;   // torch.lerp's two forms, chosen by the weight
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invoke(ref float p, ref float m, ref float v, float g)
    {
        if (_useL2) g += _l2 * p;
        if (_useDecay) p *= _decay;
        m = _lerpLow ? m + _lerpWeight * (g - m) : g - (g - m) * _oneMinusLerpWeight;
        v = v * _beta2 + _oneMinusBeta2 * g * g;
        if (MathF.Abs(m) < SmallestNormal) m = 0f;
        if (v < SmallestNormal) v = 0f;
        p += _negStepSize * m / (MathF.Sqrt(v) / _biasCorrection2Sqrt + _eps);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invoke(ref Vector256<float> p, ref Vector256<float> m, ref Vector256<float> v, Vector256<float> g)
    {
        if (_useL2) g += Vector256.Create(_l2) * p;
        if (_useDecay) p *= Vector256.Create(_decay);
        m = _lerpLow ? m + Vector256.Create(_lerpWeight) * (g - m) : g - (g - m) * Vector256.Create(_oneMinusLerpWeight);
        v = v * Vector256.Create(_beta2) + Vector256.Create(_oneMinusBeta2) * g * g;
        var tiny = Vector256.Create(SmallestNormal);
        m = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(m), tiny), Vector256<float>.Zero, m);
        v = Vector256.ConditionalSelect(Vector256.LessThan(v, tiny), Vector256<float>.Zero, v);
        p += Vector256.Create(_negStepSize) * m / (Vector256.Sqrt(v) / Vector256.Create(_biasCorrection2Sqrt) + Vector256.Create(_eps));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invoke(ref Vector512<float> p, ref Vector512<float> m, ref Vector512<float> v, Vector512<float> g)
    {
        if (_useL2) g += Vector512.Create(_l2) * p;
        if (_useDecay) p *= Vector512.Create(_decay);
        m = _lerpLow ? m + Vector512.Create(_lerpWeight) * (g - m) : g - (g - m) * Vector512.Create(_oneMinusLerpWeight);
        v = v * Vector512.Create(_beta2) + Vector512.Create(_oneMinusBeta2) * g * g;
        var tiny = Vector512.Create(SmallestNormal);
        m = Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(m), tiny), Vector512<float>.Zero, m);
        v = Vector512.ConditionalSelect(Vector512.LessThan(v, tiny), Vector512<float>.Zero, v);
        p += Vector512.Create(_negStepSize) * m / (Vector512.Sqrt(v) / Vector512.Create(_biasCorrection2Sqrt) + Vector512.Create(_eps));
    }
}
