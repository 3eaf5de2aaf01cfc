using Elbo.Evaluation;

namespace Elbo.Tests.Evaluation;

public class PcaTests
{
    [Fact]
    public void JacobiFindsTheEigenvaluesOfASmallSymmetricMatrix()
    {
        var (values, vectors) = Pca.SymmetricEigen(new double[,] { { 2, 1, 0 }, { 1, 2, 0 }, { 0, 0, 5 } });
        Assert.Equal(new[] { 1.0, 3.0, 5.0 }, values.Order().ToArray(), new ToleranceComparer(1e-12));
        // A v = λ v for every column.
        double[,] a = { { 2, 1, 0 }, { 1, 2, 0 }, { 0, 0, 5 } };
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < 3; i++)
            {
                double av = 0;
                for (int j = 0; j < 3; j++) av += a[i, j] * vectors[j, k];
                Assert.Equal(values[k] * vectors[i, k], av, 1e-12);
            }
    }

    [Fact]
    public void RecoversTheAxesAndVariancesOfARotatedAnisotropicGaussian()
    {
        // Standard deviations 3, 1, 0.5 along the columns of an orthonormal basis, around (5, -2, 1).
        const int n = 20000;
        double[] sd = [3, 1, 0.5];
        double s2 = Math.Sqrt(0.5), s3 = Math.Sqrt(1.0 / 3), s6 = Math.Sqrt(1.0 / 6);
        double[][] axes = [[s3, s3, s3], [s2, -s2, 0], [s6, s6, -2 * s6]];
        double[] centre = [5, -2, 1];
        var g = new Generator(11);
        var data = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            double a = sd[0] * g.NextNormal(), b = sd[1] * g.NextNormal(), c = sd[2] * g.NextNormal();
            for (int u = 0; u < 3; u++) data[i * 3 + u] = (float)(centre[u] + a * axes[0][u] + b * axes[1][u] + c * axes[2][u]);
        }
        var pca = Pca.Fit(data, n, 3);
        for (int k = 0; k < 3; k++)
        {
            double dot = 0;
            for (int u = 0; u < 3; u++) dot += pca.Components[k][u] * axes[k][u];
            Assert.True(Math.Abs(dot) > 0.999, $"component {k} is {Math.Acos(Math.Min(1, Math.Abs(dot))) * 180 / Math.PI:F2}° off its axis");
            Assert.Equal(sd[k] * sd[k], pca.Variances[k], sd[k] * sd[k] * 0.04);
            Assert.Equal(centre[k], pca.Mean[k], 0.05);
        }
        double total = 9 + 1 + 0.25;
        Assert.Equal(9 / total, pca.ExplainedVarianceRatio[0], 0.01);
        Assert.Equal(1 / total, pca.ExplainedVarianceRatio[1], 0.01);
        Assert.Equal(1, pca.ExplainedVarianceRatio.Sum(), 12);
    }

    [Fact]
    public void ProjectionHasTheComponentsVariancesAndZeroMean()
    {
        const int n = 2000, d = 5;
        var g = new Generator(5);
        var data = new float[n * d];
        for (int i = 0; i < n; i++)
            for (int u = 0; u < d; u++) data[i * d + u] = (float)((u + 1) * g.NextNormal() + (u == 0 ? 0.5 * data[i * d] : 0));
        var pca = Pca.Fit(data, n, d);
        var p = pca.Project(data, 2);
        for (int k = 0; k < 2; k++)
        {
            double mean = 0, var = 0;
            for (int i = 0; i < n; i++) mean += p[i * 2 + k];
            mean /= n;
            for (int i = 0; i < n; i++) var += (p[i * 2 + k] - mean) * (p[i * 2 + k] - mean);
            var /= n;
            Assert.Equal(0, mean, 1e-6);
            Assert.Equal(pca.Variances[k], var, pca.Variances[k] * 1e-6);
        }
        Assert.True(pca.Variances[0] >= pca.Variances[1]);
    }

    [Fact]
    public void ComponentsHaveADeterministicSign()
    {
        var data = new float[] { 1, 0, -1, 0, 2, 0.1f, -2, -0.1f };
        var pca = Pca.Fit(data, 4, 2);
        var first = pca.Components[0];
        Assert.True(first[Math.Abs(first[0]) >= Math.Abs(first[1]) ? 0 : 1] > 0);
    }

    [Fact]
    public void ConstantDataHaveNoExplainedVarianceAndBadShapesAreRefused()
    {
        var pca = Pca.Fit(new float[] { 1, 2, 1, 2, 1, 2 }, 3, 2);
        Assert.All(pca.Variances, v => Assert.Equal(0, v, 12));
        Assert.All(pca.ExplainedVarianceRatio, r => Assert.Equal(0, r));
        Assert.Throws<ArgumentException>(() => Pca.Fit(new float[5], 2, 2));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
