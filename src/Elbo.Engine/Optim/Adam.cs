using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;
using Elbo.Engine.Threading;

namespace Elbo.Engine.Optim;

/// <summary>
/// Adam (torch.optim.Adam, non-amsgrad single-tensor path). For each parameter p with gradient g, at its step t:
/// <code>
/// g ← g + weight_decay·p                       (L2 penalty; Adam only)
/// m ← lerp(m, g, 1−β1)                         (= β1·m + (1−β1)·g)
/// v ← β2·v + (1−β2)·g·g
/// p ← p − lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + eps)
/// </code>
/// computed in float32 in PyTorch's order, with the bias corrections and step size in double as PyTorch's Python
/// scalars. <see cref="AdamW"/> decays p by lr·weight_decay before the update instead of adding the L2 term.
/// </summary>
public class Adam : Optimizer
{
    private static readonly string[] StateSlots = ["exp_avg", "exp_avg_sq"];

    /// <summary>Creates the optimizer (PyTorch defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay).</summary>
    public Adam(IReadOnlyList<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0)
        : this(parameters, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay: false)
    {
    }

    /// <summary>Creates the optimizer with the weight decay coupled (Adam, L2) or decoupled (AdamW).</summary>
    protected Adam(IReadOnlyList<Tensor> parameters, double lr, double beta1, double beta2, double eps,
        double weightDecay, bool decoupledWeightDecay)
        : base(parameters, lr, StateSlots)
    {
        if (!(eps >= 0)) throw new ArgumentException($"{OpName}: invalid epsilon value {eps}");
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentException($"{OpName}: invalid beta parameter at index 0: {beta1}");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"{OpName}: invalid beta parameter at index 1: {beta2}");
        if (!(weightDecay >= 0)) throw new ArgumentException($"{OpName}: invalid weight_decay value {weightDecay}");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        DecoupledWeightDecay = decoupledWeightDecay;
    }

    /// <inheritdoc/>
    protected override string OpName => "adam";

    /// <inheritdoc/>
    protected override bool SavesParamSteps => true;

    /// <summary>The decay rate of the first moment (β1).</summary>
    public double Beta1 { get; }

    /// <summary>The decay rate of the second moment (β2).</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator for stability.</summary>
    public double Eps { get; }

    /// <summary>The weight decay: an L2 term added to the gradient (Adam) or a decay of the weights (AdamW).</summary>
    public double WeightDecay { get; set; }

    /// <summary>True for AdamW's decoupled weight decay.</summary>
    public bool DecoupledWeightDecay { get; }

    /// <inheritdoc/>
    protected override void Update(Span<float> param, ReadOnlySpan<float> grad, Tensor?[] state, long step, bool first)
    {
        var k = new Coefficients();
        double lr = Lr;
        k.Decay = DecoupledWeightDecay ? (float)(1.0 - lr * WeightDecay) : 1f;
        k.L2 = DecoupledWeightDecay ? 0f : (float)WeightDecay;
        k.LerpWeight = (float)(1.0 - Beta1);
        k.OneMinusLerpWeight = 1f - k.LerpWeight;
        k.Beta2 = (float)Beta2;
        k.OneMinusBeta2 = (float)(1.0 - Beta2);
        double biasCorrection1 = 1.0 - Math.Pow(Beta1, step);
        double biasCorrection2 = 1.0 - Math.Pow(Beta2, step);
        k.NegStepSize = (float)-(lr / biasCorrection1);
        k.BiasCorrection2Sqrt = (float)Math.Sqrt(biasCorrection2);
        k.Eps = (float)Eps;
        var m = state[0]!.Data;
        var v = state[1]!.Data;
        if (param.Length < KernelConfig.ParallelThreshold || ParallelRunner.Threads == 1)
        {
            Kernel(param, grad, m, v, in k);
            return;
        }
        if (grad.Length != param.Length || m.Length != param.Length || v.Length != param.Length)
            throw new ArgumentException($"adam: parameter, gradient and state lengths differ ({param.Length}, {grad.Length}, {m.Length}, {v.Length})");
        unsafe
        {
            // Elementwise, so chunking changes nothing in the result.
            fixed (float* pp = param, pg = grad, pm = m, pv = v)
            {
                var body = new Chunks { P = pp, G = pg, M = pm, V = pv, Length = param.Length, K = k };
                ParallelRunner.For((param.Length + KernelConfig.ParallelChunk - 1) / KernelConfig.ParallelChunk, ref body);
            }
        }
    }

    private unsafe struct Chunks : IParallelBody
    {
        public float* P, G, M, V;
        public int Length;
        public Coefficients K;

        public void Invoke(int index)
        {
            int start = index * KernelConfig.ParallelChunk;
            int n = Math.Min(KernelConfig.ParallelChunk, Length - start);
            Kernel(new Span<float>(P + start, n), new ReadOnlySpan<float>(G + start, n), new Span<float>(M + start, n),
                new Span<float>(V + start, n), in K);
        }
    }

    private struct Coefficients
    {
        public float Decay, L2, LerpWeight, OneMinusLerpWeight, Beta2, OneMinusBeta2, NegStepSize, BiasCorrection2Sqrt, Eps;
    }

    // The smallest normal float32. Moments below it are set to zero: a weight whose gradient stays zero (e.g. for an
    // image border pixel that is always black) has its first moment decay by β₁ each step into the subnormal range,
    // where every multiplication costs a microcode assist (≈100 cycles) — it made whole training steps 30 % slower.
    // A subnormal moment moves no parameter (lr·m̂/(√v̂+ε) is below float32's resolution of any weight above 1e-30,
    // and √v̂ ≪ ε), so flushing it changes no result.
    private const float SmallestNormal = 1.17549435e-38f;

    // p, g, m, v (n) — one fused pass; vector paths do exactly the scalar path's float operations.
    private static void Kernel(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in Coefficients k)
    {
        int n = p.Length;
        if (g.Length != n || m.Length != n || v.Length != n)
            throw new ArgumentException($"adam: parameter, gradient and state lengths differ ({n}, {g.Length}, {m.Length}, {v.Length})");
        bool l2 = k.L2 != 0f, decay = k.Decay != 1f, lerpLow = Math.Abs(k.LerpWeight) < 0.5f;
        ref float pr = ref MemoryMarshal.GetReference(p);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var vL2 = Vector512.Create(k.L2);
            var vDecay = Vector512.Create(k.Decay);
            var vW = Vector512.Create(k.LerpWeight);
            var vOmW = Vector512.Create(k.OneMinusLerpWeight);
            var vB2 = Vector512.Create(k.Beta2);
            var vOmB2 = Vector512.Create(k.OneMinusBeta2);
            var vStep = Vector512.Create(k.NegStepSize);
            var vBc2 = Vector512.Create(k.BiasCorrection2Sqrt);
            var vEps = Vector512.Create(k.Eps);
            var vTiny = Vector512.Create(SmallestNormal);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var pv = Vector512.LoadUnsafe(ref pr, (nuint)i);
                var gv = Vector512.LoadUnsafe(ref gr, (nuint)i);
                var mv = Vector512.LoadUnsafe(ref mr, (nuint)i);
                var vv = Vector512.LoadUnsafe(ref vr, (nuint)i);
                if (l2) gv += vL2 * pv;
                if (decay) pv *= vDecay;
                mv = lerpLow ? mv + vW * (gv - mv) : gv - (gv - mv) * vOmW;
                vv *= vB2;
                vv += vOmB2 * gv * gv;
                mv = Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(mv), vTiny), Vector512<float>.Zero, mv);
                vv = Vector512.ConditionalSelect(Vector512.LessThan(vv, vTiny), Vector512<float>.Zero, vv);
                var denom = Vector512.Sqrt(vv) / vBc2 + vEps;
                pv += vStep * mv / denom;
                pv.StoreUnsafe(ref pr, (nuint)i);
                mv.StoreUnsafe(ref mr, (nuint)i);
                vv.StoreUnsafe(ref vr, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var vL2 = Vector256.Create(k.L2);
            var vDecay = Vector256.Create(k.Decay);
            var vW = Vector256.Create(k.LerpWeight);
            var vOmW = Vector256.Create(k.OneMinusLerpWeight);
            var vB2 = Vector256.Create(k.Beta2);
            var vOmB2 = Vector256.Create(k.OneMinusBeta2);
            var vStep = Vector256.Create(k.NegStepSize);
            var vBc2 = Vector256.Create(k.BiasCorrection2Sqrt);
            var vEps = Vector256.Create(k.Eps);
            var vTiny = Vector256.Create(SmallestNormal);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var pv = Vector256.LoadUnsafe(ref pr, (nuint)i);
                var gv = Vector256.LoadUnsafe(ref gr, (nuint)i);
                var mv = Vector256.LoadUnsafe(ref mr, (nuint)i);
                var vv = Vector256.LoadUnsafe(ref vr, (nuint)i);
                if (l2) gv += vL2 * pv;
                if (decay) pv *= vDecay;
                mv = lerpLow ? mv + vW * (gv - mv) : gv - (gv - mv) * vOmW;
                vv *= vB2;
                vv += vOmB2 * gv * gv;
                mv = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(mv), vTiny), Vector256<float>.Zero, mv);
                vv = Vector256.ConditionalSelect(Vector256.LessThan(vv, vTiny), Vector256<float>.Zero, vv);
                var denom = Vector256.Sqrt(vv) / vBc2 + vEps;
                pv += vStep * mv / denom;
                pv.StoreUnsafe(ref pr, (nuint)i);
                mv.StoreUnsafe(ref mr, (nuint)i);
                vv.StoreUnsafe(ref vr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float pi = Unsafe.Add(ref pr, i), gi = Unsafe.Add(ref gr, i), mi = Unsafe.Add(ref mr, i), vi = Unsafe.Add(ref vr, i);
            if (l2) gi += k.L2 * pi;
            if (decay) pi *= k.Decay;
            mi = lerpLow ? mi + k.LerpWeight * (gi - mi) : gi - (gi - mi) * k.OneMinusLerpWeight;
            vi *= k.Beta2;
            vi += k.OneMinusBeta2 * gi * gi;
            if (MathF.Abs(mi) < SmallestNormal) mi = 0f;
            if (vi < SmallestNormal) vi = 0f;
            float denom = MathF.Sqrt(vi) / k.BiasCorrection2Sqrt + k.Eps;
            pi += k.NegStepSize * mi / denom;
            Unsafe.Add(ref pr, i) = pi;
            Unsafe.Add(ref mr, i) = mi;
            Unsafe.Add(ref vr, i) = vi;
        }
    }
}
