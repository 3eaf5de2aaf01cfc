using Elbo.Engine.Autograd.Functions;

namespace Elbo.Engine.Nn;

public static partial class Functional
{
    /// <summary>Binary cross-entropy between Bernoulli logits and targets in [0,1], computed stably:
    /// max(x,0) − x·t + log(1 + exp(−|x|)). Never NaN for finite inputs. One fused op: the gradient flows to the
    /// logits (sigmoid(x) − t) and, when it requires grad, to the target (−x).</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean)
        => BceWithLogitsFunction.Forward(logits, target, reduction);

    /// <summary>Continuous Bernoulli negative log-likelihood (Loaiza-Ganem &amp; Cunningham 2019) of targets in [0,1]
    /// under logits ℓ: −log(C(λ)·λ^t·(1 − λ)^(1 − t)) with λ = sigmoid(ℓ) and C = ℓ/tanh(ℓ/2) (2 at ℓ = 0), i.e.
    /// BinaryCrossEntropyWithLogits minus the log normalizer log C, which makes the density integrate to 1 over [0,1].
    /// Computed stably (series near ℓ = 0, closed forms beyond); never NaN for finite inputs; may be negative (a density
    /// exceeds 1). One fused op: the gradient flows to the logits (mean(ℓ) − t, see <see cref="ContinuousBernoulliMean"/>)
    /// and, when it requires grad, to the target (−ℓ).</summary>
    public static Tensor ContinuousBernoulliWithLogits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean)
        => ContinuousBernoulliWithLogitsFunction.Forward(logits, target, reduction);

    /// <summary>Squared error (input − target)², reduced; one fused op with gradients to both arguments.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
        => MseLossFunction.Forward(input, target, reduction);

    /// <summary>Gaussian negative log-likelihood of target under N(mean, exp(logVar)), elementwise
    /// 0.5·(log 2π + logVar + (target − mean)²·exp(−logVar)); the log 2π constant only when <paramref name="full"/>.
    /// One fused op with gradients to mean, logVar and (when it requires grad) target; all three shapes must be equal.</summary>
    public static Tensor GaussianNllLoss(Tensor mean, Tensor logVar, Tensor target, Reduction reduction = Reduction.Mean, bool full = true)
        => GaussianNllLossFunction.Forward(mean, logVar, target, reduction, full);

    /// <summary>Zeroes each element with probability p and scales the rest by 1/(1−p) when training; identity
    /// (returns <paramref name="x"/> itself) otherwise or when p is 0. The mask is drawn from
    /// <paramref name="generator"/>, so a seed reproduces it.</summary>
    public static Tensor Dropout(Tensor x, float p, bool training, Generator generator)
        => DropoutFunction.Forward(x, p, training, generator);
}
