using Elbo.Engine.Nn;
using Elbo.Engine.Onnx;

namespace Elbo.Likelihoods;

/// <summary>Bernoulli p(x|z) with the decoder emitting logits ℓ: −log p(x|z) = Σ_d BCE(σ(ℓ_d), x_d), computed from the
/// logits (stable for any logit). Data in [0,1] (grey levels are treated as probabilities, as in pytorch/examples).</summary>
public sealed class BernoulliLikelihood : Likelihood
{
    /// <inheritdoc/>
    public override string Name => "bernoulli";

    /// <inheritdoc/>
    public override Tensor NegLogLikelihoodSum(Tensor output, Tensor x)
    {
        CheckShapes(output, x);
        return Functional.BinaryCrossEntropyWithLogits(output, x, Reduction.Sum);
    }

    /// <inheritdoc/>
    public override Tensor NegLogLikelihood(Tensor output, Tensor x)
    {
        CheckShapes(output, x);
        return Functional.BinaryCrossEntropyWithLogits(output, x, Reduction.None).Sum(1);
    }

    /// <inheritdoc/>
    public override Tensor Mean(Tensor output) => output.Sigmoid();

    /// <summary>Sigmoid of the logits.</summary>
    public override OnnxValue ExportMean(OnnxGraph graph, OnnxValue output)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.Unary("Sigmoid", output, "mean");
    }
}
