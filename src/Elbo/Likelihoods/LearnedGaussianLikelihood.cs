using Elbo.Engine.Nn;
using Elbo.Engine.Onnx;

namespace Elbo.Likelihoods;

/// <summary>Gaussian p(x|z) = N(μ, diag σ²) with the decoder emitting both μ and log σ² per data dimension (output
/// (B, 2D): the first D columns are μ, the last D the log-variance): −log p(x|z) = ½ Σ_d (log 2π + log σ²_d +
/// (x_d − μ_d)²/σ²_d), the full NLL with its constant.</summary>
public sealed class LearnedGaussianLikelihood : Likelihood
{
    /// <inheritdoc/>
    public override string Name => "gaussian-learned";

    /// <inheritdoc/>
    public override int ParametersPerFeature => 2;

    /// <inheritdoc/>
    public override Tensor NegLogLikelihoodSum(Tensor output, Tensor x)
    {
        CheckShapes(output, x);
        int d = x.Dim(1);
        return Functional.GaussianNllLoss(output.Narrow(1, 0, d), output.Narrow(1, d, d), x, Reduction.Sum);
    }

    /// <inheritdoc/>
    public override Tensor NegLogLikelihood(Tensor output, Tensor x)
    {
        CheckShapes(output, x);
        int d = x.Dim(1);
        return Functional.GaussianNllLoss(output.Narrow(1, 0, d), output.Narrow(1, d, d), x, Reduction.None).Sum(1);
    }

    /// <inheritdoc/>
    public override Tensor Mean(Tensor output) => output.Narrow(1, 0, output.Dim(1) / 2);

    /// <summary>The first half of the columns (a Slice).</summary>
    public override OnnxValue ExportMean(OnnxGraph graph, OnnxValue output)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.Narrow(output, 1, 0, output.Dim(1) / 2, "mean");
    }
}
