using Elbo.Engine.Kernels;
using Elbo.Engine.Kernels.Common;

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
/// in float32, in PyTorch's order, by <see cref="SgdStepOperator"/> on the shared drivers (parallel over large tensors).
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
        var op = new SgdStepOperator(Lr, Momentum, Dampening, WeightDecay, Nesterov, first);
        if (Momentum != 0) UpdateDriver.Apply(param, state[0]!.Data, grad, op);
        else BinaryDriver.Apply(param, grad, param, op: op);
    }
}
