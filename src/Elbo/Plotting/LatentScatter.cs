using System.Globalization;
using Elbo.Evaluation;

namespace Elbo.Plotting;

/// <summary>
/// The latent scatter (<c>latent.svg</c>): one point per example at its encoder mean μ (the code, for an
/// autoencoder), coloured by label. A 2-D latent space is drawn as it is; a larger one through its first two
/// principal components (<see cref="Pca"/>, the axis titles give each component's share of the variance of μ); a
/// 1-D one as μ₁ against the label.
/// </summary>
public static class LatentScatter
{
    /// <summary>The file <c>elbo plot</c> writes.</summary>
    public const string FileName = RunFolder.Latent;

    /// <summary>The coordinates the scatter uses for <paramref name="codes"/>.</summary>
    public static LatentProjection Project(LatentCodes codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        int n = codes.Count, l = codes.Latent;
        var x = new double[n];
        var y = new double[n];
        string what = codes.Family.LocationName;
        if (l == 1)
        {
            for (int i = 0; i < n; i++)
            {
                x[i] = codes.Mu[i];
                y[i] = codes.Labels[i];
            }
            return new LatentProjection(x, y, $"{what}₁", "label", $"{what}₁ (the whole 1-D latent space) against the label");
        }
        if (l == 2)
        {
            for (int i = 0; i < n; i++)
            {
                x[i] = codes.Mu[2 * i];
                y[i] = codes.Mu[2 * i + 1];
            }
            return new LatentProjection(x, y, $"{what}₁", $"{what}₂", $"{what}₁ and {what}₂ (the whole 2-D latent space)");
        }
        var pca = Pca.Fit(codes.Mu, n, l);
        var projected = pca.Project(codes.Mu, 2);
        for (int i = 0; i < n; i++)
        {
            x[i] = projected[2 * i];
            y[i] = projected[2 * i + 1];
        }
        var share = new[] { pca.ExplainedVarianceRatio[0], pca.ExplainedVarianceRatio[1] };
        return new LatentProjection(x, y, $"PC1 of {what} ({Percent(share[0])} of variance)", $"PC2 of {what} ({Percent(share[1])} of variance)",
            $"the first two principal components of {what} ({Percent(share[0])} and {Percent(share[1])} of its variance, L = {l})", share);
    }

    /// <summary>The latent scatter as an SVG document. <paramref name="classNames"/> names label k (labels beyond
    /// the list, or no list, are shown as numbers; -1 as "unlabelled").</summary>
    public static string Svg(LatentCodes codes, IReadOnlyList<string>? classNames = null, string? title = null)
    {
        var projection = Project(codes);
        title ??= !codes.Family.HasDensity
            ? $"Autoencoder codes of {codes.Count:N0} test examples (L = {codes.Latent})"
            : $"Encoder means μ of {codes.Count:N0} test examples (L = {codes.Latent})";
        var panel = ScatterPlot.ByLabel(projection.X, projection.Y, codes.Labels, label => LabelName(label, classNames),
            xTitle: projection.XTitle, yTitle: projection.YTitle, equalAxes: codes.Latent > 1);
        return Figure.Svg([panel], title, panelWidth: 500, panelHeight: 480, legendTitle: "label");
    }

    /// <summary>The legend name of <paramref name="label"/>.</summary>
    public static string LabelName(int label, IReadOnlyList<string>? classNames) =>
        label < 0 ? "unlabelled"
        : classNames is not null && label < classNames.Count ? classNames[label]
        : label.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double share) => (100 * share).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
