using Elbo.Engine.Autograd.Functions;

namespace Elbo.Engine.Nn;

public static partial class Functional
{
    /// <summary>Mean of the continuous Bernoulli with logits ℓ, elementwise: 1/(1 − e^(−ℓ)) − 1/ℓ =
    /// λ/(2λ − 1) + 1/(2 atanh(1 − 2λ)), ½ at ℓ = 0; the expected pixel of a decoder trained with
    /// <see cref="ContinuousBernoulliWithLogits"/>. It is not sigmoid(ℓ) = λ, which lies further from ½ (at ℓ = 2, λ ≈ 0.88
    /// and the mean ≈ 0.66). Differentiable: d mean/dℓ is the distribution's variance, 1/ℓ² − 1/(4 sinh²(ℓ/2)).</summary>
    public static Tensor ContinuousBernoulliMean(Tensor logits) => ContinuousBernoulliMeanFunction.Forward(logits);
}
