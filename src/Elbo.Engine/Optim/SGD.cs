using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Elbo.Engine.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum (torch.optim.SGD, single-tensor path). For each parameter p
/// with gradient g:
/// <code>
/// g ← g + weight_decay·p
/// b ← g at the parameter's first update, else momentum·b + (1−dampening)·g     (when momentum ≠ 0)
/// g ← g + momentum·b (nesterov) or b
/// p ← p − lr·g
/// </code>
/// in float32, in PyTorch's order.
/// </summary>
public sealed class SGD : Optimizer
{
    private static readonly string[] MomentumSlots = ["momentum_buffer"];

    /// <summary>Creates the optimizer. Nesterov momentum needs a positive momentum and zero dampening.</summary>
    public SGD(IReadOnlyList<Tensor> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false)
        : base(parameters, lr, momentum != 0 ? MomentumSlots : [])
    {
        if (!(momentum >= 0)) throw new ArgumentException($"sgd: invalid momentum value {momentum}");
        if (!(weightDecay >= 0)) throw new ArgumentException($"sgd: invalid weight_decay value {weightDecay}");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("sgd: nesterov momentum requires a momentum and zero dampening");
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
    }

    /// <inheritdoc/>
    protected override string OpName => "sgd";

    /// <summary>The momentum factor (0: plain SGD).</summary>
    public double Momentum { get; }

    /// <summary>The dampening of the gradient's contribution to the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>The L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; set; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(Span<float> param, ReadOnlySpan<float> grad, Tensor?[] state, long step, bool first)
    {
        var k = new Coefficients
        {
            L2 = (float)WeightDecay,
            Momentum = (float)Momentum,
            OneMinusDampening = (float)(1.0 - Dampening),
            NegLr = (float)-Lr,
        };
        Span<float> buffer = Momentum != 0 ? state[0]!.Data : default;
        Kernel(param, grad, buffer, in k, Momentum != 0, first, Nesterov);
    }

    private struct Coefficients
    {
        public float L2, Momentum, OneMinusDampening, NegLr;
    }

    // p, g, b (n) — one fused pass; the vector paths do exactly the scalar path's float operations.
    private static void Kernel(Span<float> p, ReadOnlySpan<float> g, Span<float> b, in Coefficients k, bool momentum, bool first, bool nesterov)
    {
        int n = p.Length;
        if (g.Length != n || (momentum && b.Length != n))
            throw new ArgumentException($"sgd: parameter, gradient and buffer lengths differ ({n}, {g.Length}, {b.Length})");
        bool l2 = k.L2 != 0f;
        ref float pr = ref MemoryMarshal.GetReference(p);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float br = ref momentum ? ref MemoryMarshal.GetReference(b) : ref pr;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var vL2 = Vector512.Create(k.L2);
            var vMom = Vector512.Create(k.Momentum);
            var vOmD = Vector512.Create(k.OneMinusDampening);
            var vLr = Vector512.Create(k.NegLr);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var pv = Vector512.LoadUnsafe(ref pr, (nuint)i);
                var gv = Vector512.LoadUnsafe(ref gr, (nuint)i);
                if (l2) gv += vL2 * pv;
                if (momentum)
                {
                    var bv = first ? gv : Vector512.LoadUnsafe(ref br, (nuint)i) * vMom + vOmD * gv;
                    bv.StoreUnsafe(ref br, (nuint)i);
                    gv = nesterov ? gv + vMom * bv : bv;
                }
                pv += vLr * gv;
                pv.StoreUnsafe(ref pr, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var vL2 = Vector256.Create(k.L2);
            var vMom = Vector256.Create(k.Momentum);
            var vOmD = Vector256.Create(k.OneMinusDampening);
            var vLr = Vector256.Create(k.NegLr);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var pv = Vector256.LoadUnsafe(ref pr, (nuint)i);
                var gv = Vector256.LoadUnsafe(ref gr, (nuint)i);
                if (l2) gv += vL2 * pv;
                if (momentum)
                {
                    var bv = first ? gv : Vector256.LoadUnsafe(ref br, (nuint)i) * vMom + vOmD * gv;
                    bv.StoreUnsafe(ref br, (nuint)i);
                    gv = nesterov ? gv + vMom * bv : bv;
                }
                pv += vLr * gv;
                pv.StoreUnsafe(ref pr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float pi = Unsafe.Add(ref pr, i), gi = Unsafe.Add(ref gr, i);
            if (l2) gi += k.L2 * pi;
            if (momentum)
            {
                float bi = first ? gi : Unsafe.Add(ref br, i) * k.Momentum + k.OneMinusDampening * gi;
                Unsafe.Add(ref br, i) = bi;
                gi = nesterov ? gi + k.Momentum * bi : bi;
            }
            pi += k.NegLr * gi;
            Unsafe.Add(ref pr, i) = pi;
        }
    }
}
