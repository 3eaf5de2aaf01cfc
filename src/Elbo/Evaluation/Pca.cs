namespace Elbo.Evaluation;

/// <summary>
/// Principal component analysis of N points in D dimensions: the data are centred, their covariance (divided by N)
/// is formed in double precision and diagonalized by cyclic Jacobi rotations (exact to rounding for the symmetric
/// matrix, fine for D up to a few hundred). Components are ordered by decreasing variance; each is a unit vector
/// whose largest-magnitude coordinate is positive, so the result does not depend on the rotation order.
/// </summary>
public sealed class Pca
{
    private Pca(int dimensions, double[] mean, double[][] components, double[] variances)
    {
        Dimensions = dimensions;
        Mean = mean;
        Components = components;
        Variances = variances;
        double total = 0;
        foreach (double v in variances) total += v;
        ExplainedVarianceRatio = new double[variances.Length];
        for (int k = 0; k < variances.Length; k++) ExplainedVarianceRatio[k] = total > 0 ? variances[k] / total : 0;
    }

    /// <summary>The dimension D of the data.</summary>
    public int Dimensions { get; }

    /// <summary>The mean of the data (D).</summary>
    public double[] Mean { get; }

    /// <summary>The principal axes, D unit vectors of D coordinates, by decreasing variance.</summary>
    public double[][] Components { get; }

    /// <summary>The variance of the data along each component (the covariance's eigenvalues, ≥ 0), decreasing.</summary>
    public double[] Variances { get; }

    /// <summary>Each component's share of the total variance (sums to 1 unless every variance is 0).</summary>
    public double[] ExplainedVarianceRatio { get; }

    /// <summary>Fits the components of <paramref name="count"/> points stored row-major in <paramref name="data"/>
    /// (count × <paramref name="dimensions"/>).</summary>
    public static Pca Fit(ReadOnlySpan<float> data, int count, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (data.Length != (long)count * dimensions)
            throw new ArgumentException($"PCA: {data.Length} values are not {count} points of {dimensions} dimensions");
        int d = dimensions;
        var mean = new double[d];
        for (int i = 0; i < count; i++)
            for (int u = 0; u < d; u++) mean[u] += data[i * d + u];
        for (int u = 0; u < d; u++) mean[u] /= count;

        var cov = new double[d, d];
        var row = new double[d];
        for (int i = 0; i < count; i++)
        {
            for (int u = 0; u < d; u++) row[u] = data[i * d + u] - mean[u];
            for (int u = 0; u < d; u++)
            {
                double ru = row[u];
                for (int v = u; v < d; v++) cov[u, v] += ru * row[v];
            }
        }
        for (int u = 0; u < d; u++)
            for (int v = u; v < d; v++)
            {
                cov[u, v] /= count;
                cov[v, u] = cov[u, v];
            }

        var (values, vectors) = SymmetricEigen(cov);
        var order = new int[d];
        for (int k = 0; k < d; k++) order[k] = k;
        Array.Sort(order, (a, b) => values[b].CompareTo(values[a]) is var c && c != 0 ? c : a.CompareTo(b));
        var components = new double[d][];
        var variances = new double[d];
        for (int k = 0; k < d; k++)
        {
            int j = order[k];
            variances[k] = Math.Max(0, values[j]);
            var axis = new double[d];
            int largest = 0;
            for (int u = 0; u < d; u++)
            {
                axis[u] = vectors[u, j];
                if (Math.Abs(axis[u]) > Math.Abs(axis[largest]) + 1e-12) largest = u;
            }
            if (axis[largest] < 0)
                for (int u = 0; u < d; u++) axis[u] = -axis[u];
            components[k] = axis;
        }
        return new Pca(d, mean, components, variances);
    }

    /// <summary>The coordinates of each point along the first <paramref name="components"/> principal axes:
    /// count × components, row-major.</summary>
    public double[] Project(ReadOnlySpan<float> data, int components = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(components, Dimensions);
        int d = Dimensions;
        if (data.Length % d != 0) throw new ArgumentException($"PCA: {data.Length} values are not whole points of {d} dimensions");
        int count = data.Length / d;
        var result = new double[(long)count * components];
        for (int i = 0; i < count; i++)
            for (int k = 0; k < components; k++)
            {
                var axis = Components[k];
                double s = 0;
                for (int u = 0; u < d; u++) s += (data[i * d + u] - Mean[u]) * axis[u];
                result[i * components + k] = s;
            }
        return result;
    }

    /// <summary>Eigenvalues and eigenvectors (columns) of the symmetric matrix <paramref name="a"/> by cyclic Jacobi
    /// rotations (Golub &amp; Van Loan §8.5), until the off-diagonal mass is negligible. <paramref name="a"/> is not
    /// changed.</summary>
    public static (double[] Values, double[,] Vectors) SymmetricEigen(double[,] a)
    {
        ArgumentNullException.ThrowIfNull(a);
        int n = a.GetLength(0);
        if (a.GetLength(1) != n) throw new ArgumentException($"an eigen-decomposition needs a square matrix, got {n}×{a.GetLength(1)}");
        var m = (double[,])a.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        double scale = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) scale += m[i, j] * m[i, j];
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += m[p, q] * m[p, q];
            if (off <= 1e-30 * scale || off == 0) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = m[p, q];
                    if (apq == 0) continue;
                    // The rotation angle that zeroes m[p, q]: t = tan θ, the smaller root of t² + 2τt − 1 = 0.
                    double tau = (m[q, q] - m[p, p]) / (2 * apq);
                    double t = Math.Sign(tau) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
                    if (tau == 0) t = 1;
                    double c = 1 / Math.Sqrt(1 + t * t), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double mkp = m[k, p], mkq = m[k, q];
                        m[k, p] = c * mkp - s * mkq;
                        m[k, q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double mpk = m[p, k], mqk = m[q, k];
                        m[p, k] = c * mpk - s * mqk;
                        m[q, k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = m[i, i];
        return (values, v);
    }
}
