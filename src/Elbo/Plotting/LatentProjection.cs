namespace Elbo.Plotting;

/// <summary>Two coordinates per example for a latent scatter, with the axis titles that say what they are.</summary>
/// <param name="X">The horizontal coordinate of each example.</param>
/// <param name="Y">The vertical coordinate of each example.</param>
/// <param name="XTitle">The x axis title.</param>
/// <param name="YTitle">The y axis title.</param>
/// <param name="Description">One line for people: what the axes are (e.g. "the first two principal components of μ
/// (41.2% and 20.3% of its variance)").</param>
/// <param name="ExplainedVariance">For a PCA projection, the two components' shares of the total variance; else null.</param>
public sealed record LatentProjection(double[] X, double[] Y, string XTitle, string YTitle, string Description, double[]? ExplainedVariance = null);
