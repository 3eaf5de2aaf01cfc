using System.CommandLine;
using Elbo.Data;
using Elbo.Evaluation;
using Elbo.Imaging;
using Elbo.Plotting;
using Elbo.Serialization;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>`elbo plot DIR`: the latent scatter (latent.svg), the manifold picture (manifold.png, image data only),
/// the training curves (curves.svg) and, for 2-D point data such as the ring, data against samples (ring.svg). Every
/// picture is made in memory first, so a failing command leaves the folder's earlier pictures as they were.</summary>
internal static class PlotCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train" };
        var n = new Option<int>("--n") { Description = "test examples in the latent scatter (and points in ring.svg)", DefaultValueFactory = _ => 5000 };
        var grid = new Option<int>("--grid") { Description = "the manifold picture's size: grid × grid decoded latent points", DefaultValueFactory = _ => Manifold.DefaultGrid };
        var data = new Option<string?>("--data") { Description = "the data to encode (default: the run's)" };
        var command = new Command("plot", "Draw a run: latent.svg (test encodings by label), manifold.png (decoded latent grid), curves.svg (metrics per epoch), ring.svg (2-D data).")
        {
            dir, n, grid, data,
        };
        command.SetAction(parse =>
        {
            int count = parse.GetValue(n), size = parse.GetValue(grid);
            if (count <= 0) throw new ArgumentException($"--n must be positive, got {count}");
            if (size < 2 || size > Manifold.MaxGrid) throw new ArgumentException($"--grid must be between 2 and {Manifold.MaxGrid}, got {size}");
            string run = parse.GetValue(dir)!;
            var (config, model) = TrainedRun.Load(run);
            string? dataOverride = parse.GetValue(data);
            var test = TrainedRun.LoadData(config, dataOverride).Test;
            string dataName = string.IsNullOrEmpty(dataOverride) ? config.Dataset : DataSource.Canonical(dataOverride);
            string metricsPath = Path.Combine(run, "metrics.jsonl");
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
            var outputs = new List<(string Path, Action<string> Write, string Line)>();
            var codes = LatentCodes.Encode(model, test, count);
            var projection = LatentScatter.Project(codes);
            string latent = LatentScatter.Svg(codes, ClassNames.For(dataName));
            outputs.Add((LatentScatter.FileName, p => AtomicFile.WriteAllText(p, latent),
                $"{codes.Count:N0} test {(model.Deterministic ? "codes" : "encodings μ")}: {projection.Description}"));

            if (config.Input.Channels is 1 or 3 && config.Input.Height > 1)
            {
                var (picture, line) = ManifoldPicture(model, codes, size);
                outputs.Add((Manifold.FileName, picture.Save, line));
            }
            if (metrics.Count > 0)
            {
                string curves = TrainingCurves.Svg(metrics);
                outputs.Add((TrainingCurves.FileName, p => AtomicFile.WriteAllText(p, curves),
                    $"−ELBO, reconstruction and KL per epoch, train and test ({metrics.Count} epoch{(metrics.Count == 1 ? "" : "s")})"));
            }
            if (config.Input.Features == 2 && config.Input.Height == 1)
            {
                string ring = RingPlot.Svg(test, model, count);
                int points = Math.Min(count, test.Count);
                var (dataRadius, dataNear) = RingPlot.RadiusStatistics(test.ToArray().AsSpan(0, 2 * points));
                var (sampleRadius, sampleNear) = RingPlot.RadiusStatistics(RingPlot.Samples(model, points).Points);
                outputs.Add((RingPlot.FileName, p => AtomicFile.WriteAllText(p, ring),
                    $"{points:N0} test points beside {points:N0} model samples (decoder means for z ~ N(0, I)); mean radius {dataRadius:F3} (data) " +
                    $"and {sampleRadius:F3} (samples), within 0.25 of the unit circle {100 * dataNear:F0}% and {100 * sampleNear:F0}%"));
            }

            foreach (var (file, write, line) in outputs)
            {
                string path = Path.Combine(run, file);
                write(path);
                stdout.WriteLine($"wrote {path}: {line}");
            }
            if (metrics.Count == 0) stdout.WriteLine($"no epochs in {metricsPath}: {TrainingCurves.FileName} not written");
            return ElboCommand.Ok;
        });
        return command;
    }

    // The manifold over the whole latent space (L ≤ 2) or its two most informative dimensions, the others at their
    // centre: the prior's 0 for a VAE; for an autoencoder, whose codes follow no prior, the codes' mean, with the
    // sweep scaled by their standard deviation.
    private static (Image Picture, string Line) ManifoldPicture(Models.Vae model, LatentCodes codes, int grid)
    {
        int latent = model.Latent;
        int dimA = 0, dimB = latent >= 2 ? 1 : -1;
        string dims = latent switch
        {
            1 => "z₁ along one row",
            2 => "z₁ (columns) × z₂ (rows)",
            _ => "",
        };
        if (latent > 2)
        {
            var order = codes.DimensionsByInformation();
            (dimA, dimB) = (order[0], order[1]);
            string by = model.Deterministic ? "variance of the code" : "KL";
            dims = $"z{dimA} (columns) × z{dimB} (rows), the two most informative of {latent} dimensions by {by}; the other {latent - 2} held at " +
                (model.Deterministic ? "the codes' mean" : "0");
        }
        double[]? center = null, spread = null;
        string scale = "Φ⁻¹((i+½)/G)";
        if (model.Deterministic)
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
