using Elbo.Data;
using Elbo.Evaluation;
using Elbo.Models;

namespace Elbo.Tests.Evaluation;

public class LatentCodesTests
{
    private static Dataset Data(int n, int features, ulong seed)
    {
        var g = new Generator(seed);
        var pixels = new float[n * features];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = g.NextFloat();
        var labels = Enumerable.Range(0, n).Select(i => i % 3).ToArray();
        return new Dataset("t", pixels, labels, DataShape.Table(features), "none");
    }

    [Fact]
    public void EncodeInBatchesMatchesOneBatch()
    {
        var model = ModelRegistry.Create(new ModelOptions("mlp", DataShape.Table(6), 3, [5], [], "bernoulli"), new Generator(1));
        var data = Data(11, 6, 2);
        var small = LatentCodes.Encode(model, data, batchSize: 4);
        var whole = LatentCodes.Encode(model, data, batchSize: 100);
        Assert.Equal(11, small.Count);
        Assert.Equal(whole.Mu, small.Mu);
        Assert.Equal(whole.Parameter(1), small.Parameter(1));
        Assert.Equal(data.Labels.ToArray(), small.Labels);
        Assert.Equal(7, LatentCodes.Encode(model, data, count: 7).Count);
    }

    [Fact]
    public void KlPerDimensionIsTheClosedFormAveraged()
    {
        // Two examples, two dimensions: dimension 0 is the prior exactly (KL 0); dimension 1 has μ = ±1, σ² = e^-1.
        var codes = LatentCodes.Gaussian([0f, 1f, 0f, -1f], [0f, -1f, 0f, -1f], [0, 1], 2);
        var kl = codes.KlPerDimension();
        Assert.Equal(0, kl[0], 12);
        Assert.Equal(0.5 * (1 + Math.Exp(-1) - 1 + 1), kl[1], 6);
        Assert.Equal(new[] { 1, 0 }, codes.DimensionsByInformation());
        Assert.Equal(new[] { 0.0, 1.0 }, codes.VarianceOfMu());
    }

    [Fact]
    public void AutoencoderHasNoLogVarianceAndZeroKl()
    {
        var model = ModelRegistry.Create(new ModelOptions("ae", DataShape.Table(6), 2, [5], [], "bernoulli"), new Generator(1));
        var codes = LatentCodes.Encode(model, Data(5, 6, 3));
        Assert.Same(Elbo.Distributions.PosteriorFamily.PointMass, codes.Family);
        Assert.Equal(["mu"], codes.Family.ParameterNames);
        Assert.All(codes.KlPerDimension(), v => Assert.Equal(0, v));
    }
}
