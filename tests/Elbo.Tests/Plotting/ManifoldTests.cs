using Elbo.Data;
using Elbo.Engine.Autograd;
using Elbo.Imaging;
using Elbo.Models;
using Elbo.Plotting;

namespace Elbo.Tests.Plotting;

public class ManifoldTests
{
    private static LatentVariableModel Model(int latent, DataShape? input = null) =>
        ModelRegistry.Create(new ModelOptions("mlp", input ?? DataShape.Grey(4, 4), latent, [8], [], "bernoulli"), new Generator(2));

    [Fact]
    public void CoordinatesAreNormalQuantilesOfEquallySpacedProbabilities()
    {
        var z = Manifold.Coordinates(20);
        Assert.Equal(20, z.Length);
        Assert.Equal(-1.959963984540054, z[0], 1e-12);
        Assert.Equal(1.959963984540054, z[19], 1e-12);
        for (int i = 0; i < 10; i++) Assert.Equal(-z[19 - i], z[i], 1e-12);
        for (int i = 1; i < 20; i++) Assert.True(z[i] > z[i - 1]);
    }

    [Fact]
    public void TilesAreTheDecodedGridPointsColumnsAlongTheFirstDimensionRowsDownTheSecond()
    {
        var model = Model(3);
        const int grid = 5;
        var picture = Manifold.Picture(model, grid, 2, 0);
        Assert.Equal(grid * 4, picture.Width);
        Assert.Equal(grid * 4, picture.Height);
        var coordinates = Manifold.Coordinates(grid);
        foreach (var (row, col) in new[] { (0, 0), (4, 4), (1, 3) })
        {
            var z = Tensor.Zeros(1, 3);
            z.Data[2] = (float)coordinates[col];
            z.Data[0] = (float)coordinates[grid - 1 - row];
            Tensor mean;
            using (GradMode.NoGrad()) mean = model.Likelihood.Mean(model.Decode(z));
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 4; x++)
                    Assert.Equal(ImageGrid.ToByte(mean.Data[y * 4 + x]), picture[col * 4 + x, row * 4 + y]);
        }
    }

    [Fact]
    public void CentreAndSpreadMoveTheSweep()
    {
        var model = Model(2);
        var prior = Manifold.Picture(model, 3, 0, 1);
        var shifted = Manifold.Picture(model, 3, 0, 1, center: [1, -1], spread: [0.5, 0.5]);
        Assert.NotEqual(prior.Pixels, shifted.Pixels);
        var same = Manifold.Picture(model, 3, 0, 1, center: [0, 0], spread: [1, 1]);
        Assert.Equal(prior.Pixels, same.Pixels);
    }

    [Fact]
    public void ASingleDimensionIsOneRow()
    {
        var picture = Manifold.Picture(Model(1), 6, 0, -1, scale: 2);
        Assert.Equal(6 * 4 * 2, picture.Width);
        Assert.Equal(4 * 2, picture.Height);
    }

    [Fact]
    public void NonImagesAndBadDimensionsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Manifold.Picture(Model(2, DataShape.Table(2)), 5, 0, 1));
        var model = Model(2);
        Assert.Throws<ArgumentException>(() => Manifold.Picture(model, 5, 0, 0));
        Assert.Throws<ArgumentException>(() => Manifold.Picture(model, 5, 0, 2));
        Assert.Throws<ArgumentException>(() => Manifold.Picture(model, 1, 0, 1));
        Assert.Throws<ArgumentException>(() => Manifold.Picture(model, 5, 0, 1, center: [0]));
    }
}
