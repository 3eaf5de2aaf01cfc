using Elbo.Engine.Kernels;
using Elbo.Engine.Kernels.Common;

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
/// scalars, by <see cref="AdamStepOperator"/> on the shared update driver (parallel over large tensors; moments that
/// fall below the smallest normal float are flushed to zero). <see cref="AdamW"/> decays p by lr·weight_decay before
/// the update instead of adding the L2 term.
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
        => UpdateDriver.Apply(param, state[0]!.Data, state[1]!.Data, grad,
            new AdamStepOperator(Lr, Beta1, Beta2, Eps, WeightDecay, DecoupledWeightDecay, step));
}
