using Elbo.Data;
using Elbo.Evaluation;
using Elbo.Models;

namespace Elbo.Tests.Evaluation;

public class InterpolationTests
{
    private static double Norm(ReadOnlySpan<float> v)
    {
        double s = 0;
        foreach (float x in v) s += (double)x * x;
        return Math.Sqrt(s);
    }

    [Fact]
    public void LerpHasExactEndpointsAndEqualSpacing()
    {
        float[] a = [1f, -2f, 0.5f], b = [3f, 2f, -1.5f];
        var path = Interpolation.Path(a, b, 5, slerp: false);
        Assert.Equal(a, path[..3]);
        Assert.Equal(b, path[12..]);
        for (int k = 0; k < 5; k++)
            for (int u = 0; u < 3; u++)
                Assert.Equal(a[u] + (b[u] - a[u]) * k / 4f, path[k * 3 + u], 5);
    }

    [Fact]
    public void SlerpKeepsTheNormOfEqualNormEndpoints()
    {
        float[] a = [3f, 0f, 4f], b = [0f, 5f, 0f];
        var path = Interpolation.Path(a, b, 7, slerp: true);
        Assert.Equal(a, path[..3]);
        Assert.Equal(b, path[18..]);
        for (int k = 0; k < 7; k++) Assert.Equal(5.0, Norm(path.AsSpan(k * 3, 3)), 4);
        // The midpoint of the great circle lies along a + b, farther out than the line's midpoint.
        var mid = path.AsSpan(9, 3);
        Assert.Equal(5.0 / Math.Sqrt(2), mid[0] / 3.0 * 5.0, 3);
        // Equal angles between consecutive points.
        double first = Interpolation.Angle(path.AsSpan(0, 3), path.AsSpan(3, 3));
        for (int k = 1; k < 6; k++) Assert.Equal(first, Interpolation.Angle(path.AsSpan(k * 3, 3), path.AsSpan(k * 3 + 3, 3)), 5);
    }

    [Fact]
    public void SlerpOfParallelOrIdenticalEndpointsIsTheLineWithoutNaN()
    {
        float[] a = [1f, 2f], b = [2f, 4f];
        Assert.Equal(Interpolation.Path(a, b, 6, false), Interpolation.Path(a, b, 6, true));
        float[] c = [1f, 2.0001f];
        var near = Interpolation.Path(a, c, 6, true);
        var line = Interpolation.Path(a, c, 6, false);
        for (int i = 0; i < near.Length; i++) Assert.Equal(line[i], near[i], 4);
        var same = Interpolation.Path(a, a, 4, true);
        Assert.All(same, v => Assert.False(float.IsNaN(v)));
        Assert.Equal([1f, 2f, 1f, 2f, 1f, 2f, 1f, 2f], same);
        Assert.All(Interpolation.Path([0f, 0f], a, 3, true), v => Assert.False(float.IsNaN(v)));
    }

    [Fact]
    public void PathRejectsFewerThanTwoStepsOrMismatchedLengths()
    {
        Assert.Throws<ArgumentException>(() => Interpolation.Path([1f], [2f], 1, false));
        Assert.Throws<ArgumentException>(() => Interpolation.Path([1f], [2f, 3f], 3, false));
    }

    [Fact]
    public void PictureHasInputsAndStepsInEachRowAndRefusesTabularData()
    {
        var model = ModelRegistry.Create(new ModelOptions("mlp", DataShape.Grey(4, 4), 2, [8], [], "bernoulli"), new Generator(1));
        var g = new Generator(2);
        var pixels = new float[5 * 16];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = g.NextFloat();
        var test = new Dataset("t", pixels, [0, 1, 2, 3, 4], DataShape.Grey(4, 4), "none");
        var image = Interpolation.Picture(model, test, [(0, 1), (2, 3)], 5, slerp: true, scale: 1);
        // 7 tiles of 4 px, 2 px padding, two extra gaps of stripe + padding (4 px each).
        Assert.Equal(7 * 6 + 2 + 8, image.Width);
        Assert.Equal(2 * 6 + 2, image.Height);
        Assert.Equal(ImageRowsGrey(), image[2 + 4 + 2, 0]);
        Assert.Throws<ArgumentException>(() => Interpolation.Picture(model, test, 0, 5, 5, false));

        var tabular = ModelRegistry.Create(new ModelOptions("mlp", DataShape.Table(16), 2, [8], [], "bernoulli"), new Generator(1));
        var flat = new Dataset("t", pixels, null, DataShape.Table(16), "none");
        var e = Assert.Throws<ArgumentException>(() => Interpolation.Picture(tabular, flat, 0, 1, 5, false));
        Assert.Contains("not images", e.Message);
    }

    private static byte ImageRowsGrey() => Elbo.Imaging.ImageGrid.ToByte(0.5f);
}
