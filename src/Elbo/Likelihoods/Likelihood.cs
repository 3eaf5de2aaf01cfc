using Elbo.Engine.Onnx;

namespace Elbo.Likelihoods;

/// <summary>
/// The observation model p(x|z): how the decoder's output parameterizes a distribution over the data, and its
/// negative log-likelihood in nats. Values are summed over the data dimensions; the per-batch form is summed over the
/// batch too (callers divide by the batch size to report nats per example).
/// </summary>
public abstract class Likelihood
{
    /// <summary>The registry name (e.g. "bernoulli").</summary>
    public abstract string Name { get; }

    /// <summary>How many decoder outputs each data dimension needs (1, or 2 for mean and log-variance).</summary>
    public virtual int ParametersPerFeature => 1;

    /// <summary>The decoder's output width for data of <paramref name="dataFeatures"/> values per example
    /// (<see cref="ParametersPerFeature"/> × D for a likelihood with the same factor on every value).</summary>
    public virtual int OutputFeatures(int dataFeatures) => ParametersPerFeature * dataFeatures;

    /// <summary>−log p(x|z) summed over every data dimension and every example of the batch (rank 0).
    /// <paramref name="output"/> is the decoder's output (B, P·D) and <paramref name="x"/> the data (B, D).</summary>
    public abstract Tensor NegLogLikelihoodSum(Tensor output, Tensor x);

    /// <summary>−log p(x|z) per example, summed over the data dimensions: (B).</summary>
    public abstract Tensor NegLogLikelihood(Tensor output, Tensor x);

    /// <summary>The mean of p(x|z) (B, D), e.g. for pictures of reconstructions and samples.</summary>
    public abstract Tensor Mean(Tensor output);

    /// <summary>Writes <see cref="Mean"/> into <paramref name="graph"/> (ONNX export): the mean of p(x|z) (B, D) for the
    /// decoder's <paramref name="output"/> (B, P·D), computed as <see cref="Mean"/> computes it. A likelihood without
    /// an ONNX form throws an <see cref="OnnxExportException"/>.</summary>
    public virtual OnnxValue ExportMean(OnnxGraph graph, OnnxValue output) =>
        throw new OnnxExportException($"likelihood {Name} has no ONNX form for its mean (it does not override ExportMean)");

    /// <summary>Checks that the decoder output fits the data: (B, P·D) against (B, D).</summary>
    protected void CheckShapes(Tensor output, Tensor x)
    {
        if (output.Rank != 2 || x.Rank != 2 || output.Dim(0) != x.Dim(0) || output.Dim(1) != ParametersPerFeature * x.Dim(1))
            throw new ArgumentException(
                $"{Name}: decoder output {output.ShapeString} does not fit data {x.ShapeString} (need (B,{ParametersPerFeature}·D) for data (B,D))");
    }
}
