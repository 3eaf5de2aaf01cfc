using Elbo.Engine.Kernels;
using Elbo.Engine.Kernels.Common;
using Elbo.Engine.Nn;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>Shared parts of the fused losses: shape validation, the reduction's output and scale.</summary>
internal static class LossOp
{
    public static void CheckSameShape(string op, string aName, Tensor a, string bName, Tensor b)
    {
        if (!a.Shape.SequenceEqual(b.Shape))
            throw new ArgumentException($"{op}: {aName} {a.ShapeString} and {bName} {b.ShapeString} must have the same shape");
    }

    /// <summary>The loss tensor: input-shaped for <see cref="Reduction.None"/>, rank 0 otherwise.</summary>
    public static Tensor Output(Tensor like, Reduction reduction)
        => reduction == Reduction.None ? Tensor.Result(like.Shape) : Tensor.Result([]);

    /// <summary>The reduced value of a sum over <paramref name="count"/> elements.</summary>
    public static float Reduce(double sum, int count, Reduction reduction)
        => reduction == Reduction.Mean ? (float)(sum / count) : (float)sum;

    /// <summary>d loss / d element for a reduced loss: dy·(1/n for mean, 1 for sum).</summary>
    public static float Scale(Tensor y, int count)
    {
        float dy = y.GradData[0];
        return (Reduction)y.IArg0 == Reduction.Mean ? dy / count : dy;
    }

    public static void CheckReduction(string op, Reduction reduction)
    {
        if (reduction is not (Reduction.None or Reduction.Mean or Reduction.Sum))
            throw new ArgumentException($"{op}: unknown reduction {(int)reduction}");
    }
}

/// <summary>The body of the losses on logits against targets in [0,1] (binary cross-entropy, the continuous
/// Bernoulli): forward with a loss operator, backward with its logit-gradient operator; the target gradient is −logit for
/// both. In0 logits, In1 target, IArg0 the reduction.</summary>
internal static class LogitsLoss
{
    // logits (any), target (same) -> loss (same) or ()
    public static Tensor Forward<TLoss>(Function f, Tensor logits, Tensor target, Reduction reduction) where TLoss : struct, IBinaryOperator
    {
        LossOp.CheckReduction(f.Name, reduction);
        LossOp.CheckSameShape(f.Name, "logits", logits, "target", target);
        var y = LossOp.Output(logits, reduction);
        if (reduction == Reduction.None) BinaryDriver.Apply(logits.Data, target.Data, y.Data, false, default(TLoss));
        else y.Data[0] = LossOp.Reduce(ReduceDriver.Sum(logits.Data, target.Data, default(TLoss)), logits.Numel, reduction);
        if (y.Record(f, logits, target)) y.IArg0 = (int)reduction;
        return y;
    }

    // dx (+)= g·dloss/dlogit(x, t), dt (+)= −g·x, with g = dy elementwise, or dy/n (mean), dy (sum)
    public static void Backward<TGrad>(Tensor y) where TGrad : struct, IBinaryOperator, ITernaryOperator, IScaledOperator<TGrad>
    {
        var x = y.In0!;
        var t = y.In1!;
        if ((Reduction)y.IArg0 == Reduction.None)
        {
            if (x.RequiresGrad)
            {
                var g = x.GradTarget();
                TernaryDriver.Apply(x.Data, t.Data, y.GradData, g.Span, !g.Overwrite, TGrad.WithScale(1f));
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
            BinaryDriver.Apply(x.Data, t.Data, g.Span, !g.Overwrite, TGrad.WithScale(scale));
        }
        if (t.RequiresGrad)
        {
            var g = t.GradTarget();
            UnaryDriver.Apply(x.Data, g.Span, !g.Overwrite, new BceWithLogitsTargetGradOperator(scale));
        }
    }
}

/// <summary>binary_cross_entropy_with_logits, fused and stable: ℓ = max(x,0) − x·t + log1p(e^(−|x|)), reduced;
/// dℓ/dx = sigmoid(x) − t, dℓ/dt = −x. In0 logits, In1 target, IArg0 the reduction.</summary>
internal sealed class BceWithLogitsFunction : Function
{
    public static readonly BceWithLogitsFunction Instance = new();
    public override string Name => "binary_cross_entropy_with_logits";

    // logits (any), target (same) -> loss (same) or ()
    public static Tensor Forward(Tensor logits, Tensor target, Reduction reduction) =>
        LogitsLoss.Forward<BceWithLogitsOperator>(Instance, logits, target, reduction);

    public override void Backward(Tensor y) => LogitsLoss.Backward<BceWithLogitsGradOperator>(y);
}

/// <summary>mse_loss, fused: ℓ = (x − t)², reduced; dℓ/dx = 2(x − t) = −dℓ/dt. In0 input, In1 target, IArg0 the
/// reduction.</summary>
internal sealed class MseLossFunction : Function
{
    public static readonly MseLossFunction Instance = new();
    public override string Name => "mse_loss";

    // input (any), target (same) -> loss (same) or ()
    public static Tensor Forward(Tensor input, Tensor target, Reduction reduction)
    {
        LossOp.CheckReduction(Instance.Name, reduction);
        LossOp.CheckSameShape(Instance.Name, "input", input, "target", target);
        var y = LossOp.Output(input, reduction);
        if (reduction == Reduction.None) BinaryDriver.Apply(input.Data, target.Data, y.Data, false, new SquaredErrorOperator());
        else y.Data[0] = LossOp.Reduce(ReduceDriver.Sum(input.Data, target.Data, new SquaredErrorOperator()), input.Numel, reduction);
        if (y.Record(Instance, input, target)) y.IArg0 = (int)reduction;
        return y;
    }

    // dx (+)= 2 g (x - t), dt (+)= -2 g (x - t)
    public override void Backward(Tensor y)
    {
        var x = y.In0!;
        var t = y.In1!;
        bool none = (Reduction)y.IArg0 == Reduction.None;
        float scale = none ? 1f : LossOp.Scale(y, x.Numel);
        if (x.RequiresGrad) Partial(x, x.Data, t.Data, y, scale, none);
        if (t.RequiresGrad) Partial(t, x.Data, t.Data, y, -scale, none);
    }

    private static void Partial(Tensor self, ReadOnlySpan<float> x, ReadOnlySpan<float> t, Tensor y, float scale, bool none)
    {
        var g = self.GradTarget();
        if (none) TernaryDriver.Apply(x, t, y.GradData, g.Span, !g.Overwrite, new SquaredErrorGradOperator(scale));
        else BinaryDriver.Apply(x, t, g.Span, !g.Overwrite, new SquaredErrorGradOperator(scale));
    }
}

/// <summary>gaussian_nll_loss with log-variance, fused: ℓ = 0.5(c + lv + (t − μ)²e^(−lv)), reduced;
/// dℓ/dμ = (μ − t)e^(−lv) = −dℓ/dt, dℓ/dlv = 0.5(1 − (t − μ)²e^(−lv)). In0 mean, In1 logVar, In2 target,
/// IArg0 the reduction.</summary>
internal sealed class GaussianNllLossFunction : Function
{
    public static readonly GaussianNllLossFunction Instance = new();
    public override string Name => "gaussian_nll_loss";

    // mean (any), logVar (same), target (same) -> loss (same) or ()
    public static Tensor Forward(Tensor mean, Tensor logVar, Tensor target, Reduction reduction, bool full)
    {
        LossOp.CheckReduction(Instance.Name, reduction);
        LossOp.CheckSameShape(Instance.Name, "mean", mean, "logVar", logVar);
        LossOp.CheckSameShape(Instance.Name, "mean", mean, "target", target);
        var y = LossOp.Output(mean, reduction);
        var op = new GaussianNllOperator(full);
        if (reduction == Reduction.None) TernaryDriver.Apply(mean.Data, logVar.Data, target.Data, y.Data, false, op);
        else y.Data[0] = LossOp.Reduce(ReduceDriver.Sum(mean.Data, logVar.Data, target.Data, op), mean.Numel, reduction);
        if (y.Record(Instance, mean, logVar, target)) y.IArg0 = (int)reduction;
        return y;
    }

    // dmu (+)= g (mu - t) e^-lv, dt (+)= -g (mu - t) e^-lv, dlv (+)= g 0.5 (1 - (t - mu)^2 e^-lv)
    public override void Backward(Tensor y)
    {
        var mu = y.In0!;
        var lv = y.In1!;
        var t = y.In2!;
        bool none = (Reduction)y.IArg0 == Reduction.None;
        float scale = none ? 1f : LossOp.Scale(y, mu.Numel);
        if (mu.RequiresGrad) MeanPartial(mu, y, scale, none);
        if (t.RequiresGrad) MeanPartial(t, y, -scale, none);
        if (lv.RequiresGrad)
        {
            var g = lv.GradTarget();
            var op = new GaussianNllLogVarGradOperator(scale);
            if (none) QuaternaryDriver.Apply(mu.Data, lv.Data, t.Data, y.GradData, g.Span, !g.Overwrite, op);
            else TernaryDriver.Apply(mu.Data, lv.Data, t.Data, g.Span, !g.Overwrite, op);
        }
    }

    private static void MeanPartial(Tensor self, Tensor y, float scale, bool none)
    {
        var g = self.GradTarget();
        var op = new GaussianNllMeanGradOperator(scale);
        if (none) QuaternaryDriver.Apply(y.In0!.Data, y.In1!.Data, y.In2!.Data, y.GradData, g.Span, !g.Overwrite, op);
        else TernaryDriver.Apply(y.In0!.Data, y.In1!.Data, y.In2!.Data, g.Span, !g.Overwrite, op);
    }
}
