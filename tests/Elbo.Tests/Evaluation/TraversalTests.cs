using Elbo.Data;
using Elbo.Evaluation;
using Elbo.Models;

namespace Elbo.Tests.Evaluation;

public class TraversalTests
{
    [Fact]
    public void GridSweepsOneDimensionAndKeepsTheOthersAtMu()
    {
        float[] mu = [0.5f, -1f, 2f, 0.25f];
        int[] dims = [2, 0];
        var z = Traversal.Grid(mu, dims, 3f, 5);
        float[] values = [-3f, -1.5f, 0f, 1.5f, 3f];
        Assert.Equal(values, Traversal.Values(3f, 5));
        Assert.Equal(2 * 5 * 4, z.Length);
        for (int r = 0; r < 2; r++)
            for (int k = 0; k < 5; k++)
                for (int u = 0; u < 4; u++)
                    Assert.Equal(u == dims[r] ? values[k] : mu[u], z[(r * 5 + k) * 4 + u]);
    }

    [Fact]
    public void RowsRankHighKlDimensionsFirst()
    {
        // Dimension 2 carries most (μ = ±2), dimension 0 some (μ = ±1, σ² = 1), dimension 1 none (the prior).
        float[] mu = [1f, 0f, 2f, -1f, 0f, -2f];
        float[] logVar = [0f, 0f, -2f, 0f, 0f, -2f];
        var codes = LatentCodes.Gaussian(mu, logVar, [0, 1], 3);
        var rows = Traversal.Rows(codes, null, 2);
        Assert.Equal([2, 0], rows.Select(r => r.Dimension));
        Assert.True(rows[0].Kl > rows[1].Kl);
        Assert.Equal(0.5, rows[1].Kl!.Value, 6);
        Assert.Equal("row 2: z0 (KL 0.50 nats)", rows[1].Describe(2));
        Assert.Equal([1, 2], Traversal.Rows(codes, [1, 2]).Select(r => r.Dimension));
        Assert.Throws<ArgumentException>(() => Traversal.Rows(codes, [3]));
        var ae = LatentCodes.PointMass(mu, [0, 1], 3);
        Assert.Null(Traversal.Rows(ae, null)[0].Kl);
        Assert.StartsWith("row 1: z2 (variance of the code 4.00)", Traversal.Rows(ae, null)[0].Describe(1));
    }

    [Theory]
    [InlineData(0f, 5)]
    [InlineData(-1f, 5)]
    [InlineData(3f, 1)]
    public void BadRangeOrStepsAreRefused(float range, int steps) =>
        Assert.Throws<ArgumentException>(() => Traversal.Values(range, steps));

    [Fact]
    public void PictureHasOneRowPerDimension()
    {
        var model = ModelRegistry.Create(new ModelOptions("mlp", DataShape.Grey(4, 4), 3, [8], [], "bernoulli"), new Generator(1));
        var test = new Dataset("t", new float[3 * 16], null, DataShape.Grey(4, 4), "none");
        var image = Traversal.Picture(model, test, [0, 2], 2f, 6, index: 1, scale: 1);
        Assert.Equal(6 * 6 + 2, image.Width);
        Assert.Equal(2 * 6 + 2, image.Height);
        Assert.Throws<ArgumentException>(() => Traversal.Picture(model, test, [0], 2f, 6, index: 3));
    }
}
