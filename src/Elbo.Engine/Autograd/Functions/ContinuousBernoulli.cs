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
    public static Tensor Forward(Tensor logits, Tensor target, Reduction reduction)
    {
        LossOp.CheckReduction(Instance.Name, reduction);
        LossOp.CheckSameShape(Instance.Name, "logits", logits, "target", target);
        var y = LossOp.Output(logits, reduction);
        var op = new ContinuousBernoulliWithLogitsOperator();
        if (reduction == Reduction.None) BinaryDriver.Apply(logits.Data, target.Data, y.Data, false, op);
        else y.Data[0] = LossOp.Reduce(ReduceDriver.Sum(logits.Data, target.Data, op), logits.Numel, reduction);
        if (y.Record(Instance, logits, target)) y.IArg0 = (int)reduction;
        return y;
    }

    // dx (+)= g (mean(x) - t), dt (+)= -g x, with g = dy elementwise, or dy/n (mean), dy (sum)
    public override void Backward(Tensor y)
    {
        var x = y.In0!;
        var t = y.In1!;
        if ((Reduction)y.IArg0 == Reduction.None)
        {
            if (x.RequiresGrad)
            {
                var g = x.GradTarget();
                TernaryDriver.Apply(x.Data, t.Data, y.GradData, g.Span, !g.Overwrite, new ContinuousBernoulliWithLogitsGradOperator(1f));
            }
            if (t.RequiresGrad)
            {
                var g = t.GradTarget();
                BinaryDriver.Apply(x.Data, y.GradData, g.Span, !g.Overwrite, new BceWithLogitsTargetGradOperator(1f));
            }
            return;
        }
        float scale = LossOp.Scale(y, x.Numel);
        if (x.RequiresGrad)
        {
            var g = x.GradTarget();
            BinaryDriver.Apply(x.Data, t.Data, g.Span, !g.Overwrite, new ContinuousBernoulliWithLogitsGradOperator(scale));
        }
        if (t.RequiresGrad)
        {
            var g = t.GradTarget();
            UnaryDriver.Apply(x.Data, g.Span, !g.Overwrite, new BceWithLogitsTargetGradOperator(scale));
        }
    }
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
