using Elbo.Engine.Nn;
using Elbo.Engine.Onnx;

namespace Elbo.Likelihoods;

/// <summary>Gaussian p(x|z) = N(μ, σ²I) with a fixed standard deviation σ and the decoder emitting μ:
/// −log p(x|z) = Σ_d (x_d − μ_d)²/(2σ²) + D·log(σ√(2π)) — a scaled squared error plus a constant.</summary>
public sealed class GaussianLikelihood : Likelihood
{
    private readonly float _scale;
    private readonly float _logNormalizer;

    /// <summary>A Gaussian with standard deviation <paramref name="sigma"/> (> 0).</summary>
    public GaussianLikelihood(float sigma = 1f)
    {
        if (!(sigma > 0f) || float.IsInfinity(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "gaussian: sigma must be a positive number");
        Sigma = sigma;
        _scale = 1f / (2f * sigma * sigma);
        _logNormalizer = (float)(Math.Log(sigma) + 0.5 * Math.Log(2 * Math.PI));
    }

    /// <summary>The fixed standard deviation.</summary>
    public float Sigma { get; }

    /// <inheritdoc/>
    public override string Name => "gaussian";

    /// <inheritdoc/>
    public override Tensor NegLogLikelihoodSum(Tensor output, Tensor x)
    {
        CheckShapes(output, x);
        return Functional.MseLoss(output, x, Reduction.Sum).Affine(_scale, _logNormalizer * x.Numel);
    }

    /// <inheritdoc/>
    public override Tensor NegLogLikelihood(Tensor output, Tensor x)
    {
        CheckShapes(output, x);
        return Functional.MseLoss(output, x, Reduction.None).Sum(1).Affine(_scale, _logNormalizer * x.Dim(1));
    }

    /// <inheritdoc/>
    public override Tensor Mean(Tensor output) => output;

    /// <summary>The decoder's output itself (an Identity node, so that the mean is an output of its own).</summary>
    public override OnnxValue ExportMean(OnnxGraph graph, OnnxValue output)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.Unary("Identity", output, "mean");
    }
}
