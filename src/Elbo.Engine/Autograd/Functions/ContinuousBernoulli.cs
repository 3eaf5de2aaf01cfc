using Elbo.Engine.Kernels;
using Elbo.Engine.Kernels.Common;
using Elbo.Engine.Nn;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>continuous_bernoulli_with_logits, fused and stable: the negative log-likelihood of targets x ∈ [0,1] under
/// the continuous Bernoulli with logits ℓ, BCEWithLogits(ℓ, x) − log C(ℓ) (<see cref="ContinuousBernoulliMath"/>),
/// reduced; dℓ/dlogit = mean(logit) − x, dℓ/dx = −logit. In0 logits, In1 target, IArg0 the reduction.</summary>
internal sealed class ContinuousBernoulliWithLogitsFunction : Function
{
    public static readonly ContinuousBernoulliWithLogitsFunction Instance = new();
    public override string Name => "continuous_bernoulli_with_logits";

    // logits (any), target (same) -> loss (same) or ()
    public static Tensor Forward(Tensor logits, Tensor target, Reduction reduction) =>
        LogitsLoss.Forward<ContinuousBernoulliWithLogitsOperator>(Instance, logits, target, reduction);

    public override void Backward(Tensor y) => LogitsLoss.Backward<ContinuousBernoulliWithLogitsGradOperator>(y);
}

/// <summary>continuous_bernoulli_mean: E[x] of the continuous Bernoulli with logits ℓ, 1/(1 − e^(−ℓ)) − 1/ℓ (½ at 0);
/// backward from the input: dℓ = dy·Var[x].</summary>
internal sealed class ContinuousBernoulliMeanFunction : Function
{
    public static readonly ContinuousBernoulliMeanFunction Instance = new();
    public override string Name => "continuous_bernoulli_mean";

    // logits (any) -> mean (same)
    public static Tensor Forward(Tensor logits) => UnaryOp.Forward(logits, Instance, new ContinuousBernoulliMeanOperator());

    // dx = dy var(x)
    public override void Backward(Tensor y) => UnaryOp.Backward(y, y.In0!.Data, new ContinuousBernoulliMeanBackwardOperator());
}
