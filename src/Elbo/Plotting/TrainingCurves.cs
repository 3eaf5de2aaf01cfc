using Elbo.Training;

namespace Elbo.Plotting;

/// <summary>
/// The training curves (<c>curves.svg</c>) from a run's <c>metrics.jsonl</c>: three panels — the −ELBO, its
/// reconstruction term and its KL term, in nats per example — each with the training split's value (mean over the
/// epoch's batches, solid) and the test split's (at the end of the epoch, dashed) against the epoch.
/// </summary>
public static class TrainingCurves
{
    /// <summary>The file <c>elbo plot</c> writes.</summary>
    public const string FileName = RunFolder.Curves;

    /// <summary>The curves of <paramref name="metrics"/> (one or more epochs) as an SVG document.</summary>
    /// <exception cref="ArgumentException">There are no epochs.</exception>
    public static string Svg(IReadOnlyList<EpochMetrics> metrics, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Count == 0) throw new ArgumentException("metrics.jsonl holds no epochs: nothing to plot");
        int n = metrics.Count;
        var epoch = new double[n];
        double[] trainLoss = new double[n], testLoss = new double[n], trainRecon = new double[n], testRecon = new double[n],
            trainKl = new double[n], testKl = new double[n];
        for (int i = 0; i < n; i++)
        {
            var m = metrics[i];
            epoch[i] = m.Epoch;
            trainLoss[i] = m.TrainLoss;
            testLoss[i] = m.TestLoss;
            trainRecon[i] = m.TrainRecon;
            testRecon[i] = m.TestRecon;
            trainKl[i] = m.TrainKl;
            testKl[i] = m.TestKl;
        }
        string train = Palette.Color(0), test = Palette.Color(1);
        LinePlot Panel(string name, double[] tr, double[] te) =>
            new LinePlot { Title = name, XTitle = "epoch", YTitle = "nats per example", IntegerX = true }
                .Add("train", epoch, tr, train)
                .Add("test", epoch, te, test, dashed: true);
        var panels = new Panel[]
        {
            Panel("−ELBO", trainLoss, testLoss),
            Panel("Reconstruction −log p(x|z)", trainRecon, testRecon),
            Panel("KL(q(z|x) ‖ p(z))", trainKl, testKl),
        };
        return Figure.Svg(panels, title ?? $"Training curves ({n} epoch{(n == 1 ? "" : "s")})", panelWidth: 380, panelHeight: 340);
    }
}
