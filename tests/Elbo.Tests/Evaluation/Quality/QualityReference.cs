namespace Elbo.Tests.Evaluation.Quality;

/// <summary>The samples and values printed by Fixtures/make_reference.py (scipy 1.10, numpy 1.24).</summary>
internal static class QualityReference
{
    public static readonly double[] A =
    [
        -0.803, 0.243, -1.656, 0.656, 1.143, -0.453, 0.43, 0.251, -0.394, -0.862, -2.033, 1.41, -0.048, 2.522, 0.826, 0.278,
        -0.657, 1.392, -0.506, 1.57, -0.398, 0.186, -1.523, 2.343, -0.094, -0.385, 0.811, -0.891, 0.768, -1.171, 0.545,
        -1.044, -1.837, -0.594, -1.464, 0.553, 0.022, 0.509, 0.091, -0.354,
    ];

    public static readonly double[] B =
    [
        0.339, 1.773, 0.044, -0.767, -1.058, -0.01, -0.75, 2.933, -1.35, -1.214, -0.128, 1.21, -0.075, -1.041, -0.83,
        -0.191, 1.663, -1.069, 0.172, -0.558, 0.754, 0.856, -1.751, 3.642, 0.565,
    ];

    public const double PearsonA25B = 0.1606895746713402, SpearmanA25B = -0.006153846153846154, SpearmanTies = -0.03727355216028198;

    public static readonly double[] Edges =
    [
        -2.033, -1.5775, -1.1219999999999999, -0.6665000000000001, -0.21100000000000008, 0.24449999999999994,
        0.6999999999999997, 1.1555, 1.6109999999999998, 2.0665, 2.522,
    ];

    public static readonly double[] Probe = [-10.0, -2.033, 2.522, 0.0, 10.0, -0.6665000000000001];
    public static readonly int[] Digitized = [0, 1, 11, 5, 11, 4];
    public static readonly double[] ConstantEdges = [1.5, 1.6, 1.7, 1.8, 1.9, 2.0, 2.1, 2.2, 2.3, 2.4, 2.5];
}

/// <summary>Doubles equal within an absolute tolerance.</summary>
internal sealed class Tolerance(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

    public int GetHashCode(double obj) => 0;
}
