using Elbo.Evaluation;

namespace Elbo.Plotting;

/// <summary>
/// Two (or more) models' test encodings against the prior, one panel per model on the same axes (<c>compare.svg</c>
/// of <c>elbo compare</c>): μ (the code, for an autoencoder) on the model's two most informative latent dimensions,
/// coloured by label, over grey draws from N(0, I) in the same two coordinates. A VAE's codes fill the grey cloud;
/// a plain autoencoder's sit wherever training put them, which is why its decodes of z ~ N(0, I) are noise.
/// </summary>
public static class PriorComparisonPlot
{
    /// <summary>The file <c>elbo compare</c> writes.</summary>
    public const string FileName = RunFolder.ComparisonCodes;

    /// <summary>The figure for <paramref name="models"/> (name and encodings each), at most
    /// <paramref name="points"/> codes per model, the prior cloud drawn from <paramref name="seed"/>.</summary>
    public static string Svg(IReadOnlyList<(string Name, LatentCodes Codes)> models, IReadOnlyList<string>? classNames = null,
        int points = 3000, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0) throw new ArgumentException("no models to plot", nameof(models));
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 1);
        var panels = new List<Panel>(models.Count);
        var g = new Generator(seed);
        foreach (var (name, codes) in models)
        {
            var dims = codes.DimensionsByInformation();
            int a = dims[0], b = dims.Length > 1 ? dims[1] : -1;
            int n = Math.Min(points, codes.Count);
            var x = new double[n];
            var y = new double[n];
            var labels = new int[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = codes.Mu[i * codes.Latent + a];
                y[i] = b < 0 ? 0 : codes.Mu[i * codes.Latent + b];
                labels[i] = codes.Labels[i];
            }
            var plot = new ScatterPlot
            {
                Title = name, XTitle = $"z{a}", YTitle = b < 0 ? "0" : $"z{b}", EqualAxes = true,
            };
            var px = new double[n];
            var py = new double[n];
            for (int i = 0; i < n; i++)
            {
                px[i] = g.NextNormal();
                py[i] = b < 0 ? 0 : g.NextNormal();
            }
            plot.Add("z ~ N(0, I)", px, py, Palette.Neutral);
            var byLabel = ScatterPlot.ByLabel(x, y, labels, label => LatentScatter.LabelName(label, classNames));
            foreach (var entry in byLabel.Groups) plot.Add(entry.Name, entry.X, entry.Y, entry.Color);
            panels.Add(plot);
        }
        return Figure.Svg(panels, "Test encodings against the prior, on each model's two most informative dimensions", shareAxes: true,
            panelWidth: 440, panelHeight: 420, legendTitle: "label",
            footnote: "grey: draws from the prior N(0, I) in the same coordinates; dimensions ranked by KL (VAE) or by variance (autoencoder)");
    }
}
