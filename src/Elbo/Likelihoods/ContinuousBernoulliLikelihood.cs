using Elbo.Engine.Nn;
using Elbo.Engine.Onnx;

namespace Elbo.Likelihoods;

/// <summary>
/// The continuous Bernoulli p(x|λ) = C(λ) λ^x (1−λ)^(1−x) on x ∈ [0, 1] (Loaiza-Ganem &amp; Cunningham 2019), with the
/// decoder emitting logits ℓ = logit λ: the properly normalized likelihood for grey pixels, which the Bernoulli is not
/// (its "density" of x = 0.5 integrates to less than one, so BCE on grey levels is not a log-likelihood and its
/// −ELBO is not a bound on −log p(x)). −log p(x|z) = BCE(ℓ, x) − log C(ℓ), with the normalizer C = ℓ / tanh(ℓ/2)
/// (2 at ℓ = 0) computed stably by the engine; the mean, shown in pictures, is 1/(1 − e^(−ℓ)) − 1/ℓ — not λ.
/// </summary>
public sealed class ContinuousBernoulliLikelihood : Likelihood
{
    /// <inheritdoc/>
    public override string Name => "continuous-bernoulli";

    /// <inheritdoc/>
    public override Tensor NegLogLikelihoodSum(Tensor output, Tensor x)
    {
        CheckShapes(output, x);
        return Functional.ContinuousBernoulliWithLogits(output, x, Reduction.Sum);
    }

    /// <inheritdoc/>
    public override Tensor NegLogLikelihood(Tensor output, Tensor x)
    {
        CheckShapes(output, x);
        return Functional.ContinuousBernoulliWithLogits(output, x, Reduction.None).Sum(1);
    }

    /// <inheritdoc/>
    public override Tensor Mean(Tensor output) => Functional.ContinuousBernoulliMean(output);

    /// <summary>The engine's mean formula as ONNX ops (<see cref="OnnxFunctional.ContinuousBernoulliMean"/>).</summary>
    public override OnnxValue ExportMean(OnnxGraph graph, OnnxValue output) => OnnxFunctional.ContinuousBernoulliMean(graph, output, "mean");
}
