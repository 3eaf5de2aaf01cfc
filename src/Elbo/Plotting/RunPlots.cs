using Elbo.Data;
using Elbo.Evaluation;
using Elbo.Imaging;
using Elbo.Models;
using Elbo.Serialization;
using Elbo.Training;

namespace Elbo.Plotting;

/// <summary>
/// The pictures of a run folder, made in memory (written by the caller, so a failure leaves earlier files intact):
/// the latent scatter (latent.svg), the manifold (manifold.png, image data only), the training curves (curves.svg,
/// when metrics.jsonl has epochs) and, for 2-D point data such as the ring, data against samples (ring.svg).
/// </summary>
public static class RunPlots
{
    /// <summary>The pictures of the run in <paramref name="dir"/>: <paramref name="count"/> test examples in the scatter
    /// (and points in ring.svg), a <paramref name="grid"/>×<paramref name="grid"/> manifold. A malformed
    /// metrics.jsonl throws <see cref="CheckpointFormatException"/>.</summary>
    public static List<RunOutput> Make(string dir, LatentVariableModel model, RunConfig config, Dataset test, string dataName, int count, int grid)
    {
        string metricsPath = Path.Combine(dir, RunFolder.Metrics);
        List<EpochMetrics> metrics;
        try
        {
            metrics = MetricsLog.Read(metricsPath);
        }
        catch (FormatException e)
        {
            throw new CheckpointFormatException(metricsPath, e.Message);
        }

        // Everything in memory first; the files are written only when all pictures exist.
        var outputs = new List<RunOutput>();
        var codes = LatentCodes.Encode(model, test, count);
        var projection = LatentScatter.Project(codes);
        string latent = LatentScatter.Svg(codes, dataName == config.Dataset ? config.LabelNames() : ClassNames.For(dataName));
        outputs.Add(new(LatentScatter.FileName, p => AtomicFile.WriteAllText(p, latent),
            $"{codes.Count:N0} test {(codes.Family.HasDensity ? "encodings μ" : "codes")}: {projection.Description}"));

        if (config.Input.IsImage)
        {
            var (picture, line) = ManifoldPicture(model, codes, grid);
            outputs.Add(new(Manifold.FileName, picture.Save, line));
        }
        if (metrics.Count > 0)
        {
            string curves = TrainingCurves.Svg(metrics);
            outputs.Add(new(TrainingCurves.FileName, p => AtomicFile.WriteAllText(p, curves),
                $"−ELBO, reconstruction and KL per epoch, train and test ({metrics.Count} epoch{(metrics.Count == 1 ? "" : "s")})"));
        }
        if (config.Input.IsPlanarPoints)
        {
            string ring = RingPlot.Svg(test, model, count);
            int points = Math.Min(count, test.Count);
            var (dataRadius, dataNear) = RingPlot.RadiusStatistics(test.ToArray().AsSpan(0, 2 * points));
            var (sampleRadius, sampleNear) = RingPlot.RadiusStatistics(RingPlot.Samples(model, points).Points);
            outputs.Add(new(RingPlot.FileName, p => AtomicFile.WriteAllText(p, ring),
                $"{points:N0} test points beside {points:N0} model samples (decoder means for z ~ N(0, I)); mean radius {dataRadius:F3} (data) " +
                $"and {sampleRadius:F3} (samples), within 0.25 of the unit circle {100 * dataNear:F0}% and {100 * sampleNear:F0}%"));
        }
        return outputs;
    }

    // The manifold over the whole latent space (L ≤ 2) or its two most informative dimensions, the others at their
    // centre: the prior's 0 for a VAE; for an autoencoder, whose codes follow no prior, the codes' mean, with the
    // sweep scaled by their standard deviation.
    private static (Image Picture, string Line) ManifoldPicture(LatentVariableModel model, LatentCodes codes, int grid)
    {
        int latent = model.Latent;
        int dimA = 0, dimB = latent >= 2 ? 1 : -1;
        string dims = latent switch
        {
            1 => "z0 along one row",
            2 => "z0 (columns) × z1 (rows)",
            _ => "",
        };
        if (latent > 2)
        {
            var order = codes.DimensionsByInformation();
            (dimA, dimB) = (order[0], order[1]);
            dims = $"z{dimA} (columns) × z{dimB} (rows), the two most informative of {latent} dimensions by {codes.Family.InformationName}; " +
                $"the other {latent - 2} held at " + (codes.Family.HasDensity ? "0" : "the codes' mean");
        }
        double[]? center = null, spread = null;
        string scale = "Φ⁻¹((i+½)/G)";
        if (!codes.Family.HasDensity)
        {
            center = codes.MeanOfMu();
            spread = codes.VarianceOfMu();
            for (int u = 0; u < latent; u++) spread[u] = Math.Sqrt(spread[u]);
            scale = "the codes' mean + standard deviation × Φ⁻¹((i+½)/G)";
        }
        int tile = model.Input.Height * grid;
        var picture = Manifold.Picture(model, grid, dimA, dimB, center, spread, padding: 0, scale: tile < 300 ? 2 : 1);
        return (picture, $"{(latent == 1 ? $"{grid}" : $"{grid}×{grid}")} decoder means over {dims}; coordinates {scale}");
    }
}
