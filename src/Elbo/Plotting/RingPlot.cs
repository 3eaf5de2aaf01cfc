using Elbo.Data;
using Elbo.Engine.Autograd;
using Elbo.Models;

namespace Elbo.Plotting;

/// <summary>
/// The ring picture (<c>ring.svg</c>) for a model of 2-D points: two scatter panels side by side on the same axes —
/// the data (the test split) and the model's samples, the decoder means E[x|z] for z ~ N(0, I) (the learned curve
/// f̂(z), without the likelihood's noise: with the ring's small noise both read the same, and for a badly chosen
/// σ the noise would hide the shape). Points are coloured by the angle sector of z: for the data the z that
/// generated them (<see cref="RingData"/>), for the model its prior draw, so the picture also shows whether the
/// decoder keeps the order of angles (up to a rotation or reflection, which the prior cannot tell apart).
/// </summary>
public static class RingPlot
{
    /// <summary>The file <c>elbo plot</c> writes.</summary>
    public const string FileName = RunFolder.Ring;

    /// <summary><paramref name="count"/> decoder means for z ~ N(0, I) drawn from <paramref name="seed"/>, as
    /// count × 2 values, with the angle sector of each z's first two coordinates as its label (-1 for a 1-D latent); a
    /// conditional model decodes its classes in turn, and they are the labels.</summary>
    /// <exception cref="ArgumentException">The model does not generate 2-D points.</exception>
    public static (float[] Points, int[] Labels) Samples(LatentVariableModel model, int count, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (model.Input.Features != 2) throw new ArgumentException($"the model's data ({model.Input}) are not 2-D points: there is no ring picture");
        int latent = model.Latent;
        model.Eval();
        using (GradMode.NoGrad())
        {
            var z = Tensor.Randn(new Generator(seed), count, latent);
            if (model.IsConditional)
            {
                var classes = model.LabelsInTurn(count);
                return (model.Likelihood.Mean(model.Decode(z, classes)).Data.ToArray(), classes);
            }
            var mean = model.Likelihood.Mean(model.Decode(z));
            var labels = new int[count];
            var zs = z.Data;
            for (int i = 0; i < count; i++) labels[i] = latent >= 2 ? RingData.Sector(zs[i * latent], zs[i * latent + 1]) : -1;
            return (mean.Data.ToArray(), labels);
        }
    }

    /// <summary>The ring picture for <paramref name="model"/> and the first <paramref name="count"/> points of
    /// <paramref name="data"/> (as many samples as data points).</summary>
    public static string Svg(Dataset data, LatentVariableModel model, int count = RingData.DefaultTest, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features != 2) throw new ArgumentException($"the data {data.Name} are not 2-D points: there is no ring picture");
        int n = Math.Min(count, data.Count);
        var points = new float[2 * n];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            data.CopyImage(i, points.AsSpan(2 * i, 2));
            labels[i] = data.Label(i);
        }
        var (samples, sampleLabels) = Samples(model, n, seed);
        return Svg(points, labels, samples, sampleLabels);
    }

    /// <summary>The ring picture from data points and model samples (each n × 2, row-major) and their labels.</summary>
    public static string Svg(float[] data, int[] dataLabels, float[] samples, int[] sampleLabels)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(samples);
        var left = Scatter(data, dataLabels, $"Data (test split, {dataLabels.Length:N0} points)");
        var right = Scatter(samples, sampleLabels, $"Model: E[x|z], {sampleLabels.Length:N0} draws z ~ N(0, I)");
        return Figure.Svg([left, right], "The ring: data and model samples", shareAxes: true, panelWidth: 460, panelHeight: 440,
            legendTitle: "angle of z", footnote: "Model points are decoder means (no likelihood noise); colours give the angle sector of z (for the data, the z that generated x).");
    }

    /// <summary>The mean distance from the origin of n 2-D points (n × 2 values), and the fraction of them within
    /// <paramref name="band"/> of the unit circle.</summary>
    public static (double MeanRadius, double NearCircle) RadiusStatistics(ReadOnlySpan<float> points, double band = 0.25)
    {
        if (points.Length == 0 || points.Length % 2 != 0) throw new ArgumentException($"{points.Length} values are not 2-D points");
        int n = points.Length / 2, near = 0;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double r = Math.Sqrt((double)points[2 * i] * points[2 * i] + (double)points[2 * i + 1] * points[2 * i + 1]);
            sum += r;
            if (Math.Abs(r - 1) <= band) near++;
        }
        return (sum / n, (double)near / n);
    }

    private static ScatterPlot Scatter(float[] points, int[] labels, string title)
    {
        if (points.Length != 2 * labels.Length) throw new ArgumentException($"{points.Length} values are not {labels.Length} 2-D points");
        int n = labels.Length;
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = points[2 * i];
            y[i] = points[2 * i + 1];
        }
        // Sector k keeps colour k whichever sectors occur, so both panels and the legend agree.
        var plot = new ScatterPlot { Title = title, XTitle = "x₁", YTitle = "x₂", EqualAxes = true };
        foreach (int label in labels.Distinct().Order())
        {
            int count = 0;
            foreach (int l in labels) if (l == label) count++;
            var xs = new double[count];
            var ys = new double[count];
            int k = 0;
            for (int i = 0; i < n; i++)
                if (labels[i] == label)
                {
                    xs[k] = x[i];
                    ys[k++] = y[i];
                }
            string name = label >= 0 && label < RingData.Sectors ? RingData.SectorNames[label] : LatentScatter.LabelName(label, null);
            plot.Add(name, xs, ys, label < 0 ? Palette.Neutral : Palette.Color(label));
        }
        return plot;
    }
}
