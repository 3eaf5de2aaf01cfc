using System.Globalization;
using Elbo.Serialization;
using Elbo.Training;

namespace Elbo.Reporting;

/// <summary>
/// The report of a run folder as one self-contained HTML page (<c>report.html</c>): the configuration, the metrics of
/// every epoch, the training curves, the last epoch's samples and reconstructions, the latent-space pictures and the
/// evaluation figures, each shown when its file is there. What is missing is listed with the command that makes it;
/// nothing is drawn in its place.
/// </summary>
/// <remarks>Files read: <c>config.json</c> (required, with <c>model.safetensors</c> beside it), <c>metrics.jsonl</c>,
/// <c>samples_E.png</c> and <c>reconstructions_E.png</c> of the last epoch E, and the optional pieces of
/// <see cref="ReportPiece.All"/>.</remarks>
public static class RunReport
{
    /// <summary>The report's file name in a run folder.</summary>
    public const string FileName = RunFolder.Report;

    /// <summary>The report of the run in <paramref name="dir"/>.</summary>
    /// <exception cref="RunNotFoundException">The folder does not exist or holds no checkpoint.</exception>
    /// <exception cref="CheckpointFormatException">config.json is malformed.</exception>
    /// <exception cref="ReportFormatException">Another file is malformed (metrics.jsonl, eval.json, a PNG or SVG).</exception>
    public static string Build(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        if (!Directory.Exists(dir)) throw new RunNotFoundException($"{dir}: no such run folder");
        if (!new RunFolder(dir).HasCheckpoint)
            throw new RunNotFoundException($"{dir}: no checkpoint (model.safetensors) to report on; train with `elbo train --out {dir}` first");
        var config = Checkpoint.ReadConfig(dir);
        var metrics = ReadMetrics(Path.Combine(dir, RunFolder.Metrics));
        var absent = new List<ReportPiece>();

        var doc = new HtmlDocument($"Elbo run: {ModelName(config)} on {DatasetName(config.Dataset)}");
        doc.Paragraph(Lead(dir, config, metrics), "lead");

        doc.Section("Configuration", "configuration", d =>
        {
            var rows = ConfigurationRows(config);
            int half = (rows.Count + 1) / 2;
            d.SideBySide(s => s.Table(["Setting", "Value"], rows[..half]).Table(["Setting", "Value"], rows[half..]));
        });

        doc.Section("Training", "training", d =>
        {
            if (Svg(dir, ReportPiece.Curves, "Training curves", absent) is { } curves)
                d.Figure(curves, "Training curves: −ELBO and its two terms, reconstruction and KL, per epoch on the training and test sets (nats per example).");
            if (metrics.Count == 0)
                d.Paragraph("metrics.jsonl holds no finished epoch yet.");
            else
            {
                d.Table(["Epoch", "Train −ELBO", "Train recon", "Train KL", "Test −ELBO", "Test recon", "Test KL", "KL weight", "Seconds", "Images/s"],
                    MetricRows(metrics), "Nats per example. −ELBO = reconstruction + KL (unweighted by β or warm-up); the KL weight is the one used in training.");
            }
        });

        int lastEpoch = LastEpoch(dir, metrics);
        string samplesName = RunFolder.SamplesName(lastEpoch), reconstructionsName = RunFolder.ReconstructionsName(lastEpoch);
        var samples = Png(dir, samplesName, "Samples from the prior", null);
        var recons = Png(dir, reconstructionsName, "Test images above their reconstructions", null);
        if (samples != null || recons != null)
        {
            doc.Section($"Samples and reconstructions (epoch {lastEpoch})", "samples", d =>
            {
                var figs = new List<(HtmlFragment, string)>();
                if (samples is { } s) figs.Add((s, config.Model.Conditional
                    ? $"{samplesName}: decoded draws z ~ N(0, I), one row per class ({ClassList(config)}), the means of p(x|z, y)."
                    : $"{samplesName}: decoded draws z ~ N(0, I), the means of p(x|z)."));
                if (recons is { } r) figs.Add((r, $"{reconstructionsName}: test images (upper rows) above their reconstructions (lower rows)."));
                d.Figures(figs);
            });
        }

        var latentFigures = new List<(HtmlFragment, string)>();
        if (Svg(dir, ReportPiece.Latent, "Latent scatter", absent) is { } latent)
            latentFigures.Add((latent, "Latent scatter: the encoder's means μ of the test images, coloured by label."));
        // The manifold exists only for image data: for point data its absence is not worth a note.
        if (Png(dir, ReportPiece.Manifold.FileName, "Manifold of the latent space", config.Input.IsImage ? absent : null, ReportPiece.Manifold) is { } manifold)
            latentFigures.Add((manifold, config.Latent <= 2
                ? "Manifold: decoded images over an even grid of the latent space (through the normal quantiles, as Kingma & Welling's figure)."
                : "Manifold: decoded images over an even grid (through the normal quantiles) of the two most informative latent dimensions, the others at 0."));
        if (Png(dir, ReportPiece.Interpolation.FileName, "Latent interpolation", absent, ReportPiece.Interpolation) is { } interpolation)
            latentFigures.Add((interpolation, "Interpolation: decodings along straight lines between the codes of pairs of test images."));
        if (Png(dir, ReportPiece.Traversal.FileName, "Latent traversal", absent, ReportPiece.Traversal) is { } traversal)
            latentFigures.Add((traversal, "Traversal: each row sweeps one latent dimension while the others stay fixed."));
        if (latentFigures.Count > 0) doc.Section("Latent space", "latent", d => d.Figures(latentFigures));

        bool points = config.Input.IsPlanarPoints;
        if (Svg(dir, ReportPiece.Ring, "Ring data against samples", points ? absent : null) is { } ring)
            doc.Section("Ring toy data", "ring", d => d.Figure(ring, "The ring toy data against samples of the model."));

        var comparison = new List<(HtmlFragment, string)>();
        if (Png(dir, ReportPiece.Comparison.FileName, "Prior draws decoded by both models", null, ReportPiece.Comparison) is { } decodes)
            comparison.Add((decodes, "The same draws z ~ N(0, I) decoded by this model (left) and by a plain autoencoder (right): the VAE's prior covers its codes, the autoencoder's does not."));
        if (Svg(dir, ReportPiece.ComparisonCodes, "Encodings against the prior", null) is { } codes)
            comparison.Add((codes, "Both models' test encodings over draws from N(0, I), on each model's two most informative dimensions."));
        if (comparison.Count > 0) doc.Section("VAE against a plain autoencoder", "compare", d => d.Figures(comparison));

        if (config.Table is not null)
        {
            string qualityPath = Path.Combine(dir, RunFolder.Quality);
            if (File.Exists(qualityPath))
            {
                var q = Evaluation.Quality.QualityResultFile.Read(qualityPath);
                string F(double? v) => v is { } x ? x.ToString("F4", CultureInfo.InvariantCulture) : "–";
                var rows = new List<IReadOnlyList<string>>
                {
                    new[] { "Overall (mean of the two below)", F(q.Score) },
                    new[] { "Column shapes (1 − KS for numeric, 1 − TV distance for categorical columns)", F(q.ColumnShapes) },
                    new[] { "Column pair trends (correlation and contingency similarity)", F(q.ColumnPairTrends) },
                };
                if (q.Privacy is { } p)
                {
                    rows.Add(new[] { "Median distance to the closest training row: synthetic rows", F(p.SyntheticMedianDcr) });
                    rows.Add(new[] { "Median distance to the closest training row: held-out rows", F(p.HoldoutMedianDcr) });
                    rows.Add(new[] { "Synthetic rows that copy a training row", p.SyntheticExactMatches is { } e ? e.ToString("P1", CultureInfo.InvariantCulture) : "–" });
                }
                var columns = Svg(dir, ReportPiece.QualityColumns, "Real against synthetic columns", null);
                var correlations = Svg(dir, ReportPiece.QualityCorrelations, "Correlation matrices", null);
                doc.Section("Synthetic rows", "quality", d =>
                {
                    d.Table(["Score (SDMetrics definitions, 1 is best)", "Value"], rows,
                        "Synthetic rows scored against the training rows by elbo quality; the privacy check compares their distance to the training rows with that of held-out rows (docs/quality.md).");
                    if (columns is { } c) d.Figure(c, "Each column: the training rows' distribution against the synthetic rows'.");
                    if (correlations is { } r) d.Figure(r, "Correlations between the numeric columns, in the training rows and in the synthetic rows.");
                });
            }
            else absent.Add(ReportPiece.QualityColumns);
        }

        string evalPath = Path.Combine(dir, ReportPiece.Evaluation.FileName);
        if (File.Exists(evalPath))
        {
            var eval = EvaluationSummary.Read(evalPath);
            doc.Section("Evaluation", "evaluation", d => EvaluationSection.Write(d, eval, config.Latent));
        }
        else absent.Add(ReportPiece.Evaluation);

        if (absent.Count > 0)
        {
            doc.Section("Not in this report", "absent", d =>
            {
                d.Paragraph(Html.Text("These files are not in the run folder: ") + Html.Code($"elbo report {dir}") +
                    " (without --no-compute) makes them all, or the commands below one at a time.");
                var items = new List<HtmlFragment>();
                foreach (var p in absent)
                {
                    var item = Html.Code(p.FileName) + $" ({p.What}): " + Html.Code(p.Command.Replace("DIR", dir, StringComparison.Ordinal));
                    if (p.Only != null) item += $" — for {p.Only}";
                    items.Add(item);
                }
                d.List(items);
            });
        }
        return doc.ToString();
    }

    /// <summary>Writes the report of <paramref name="dir"/> to <paramref name="output"/> (default <c>DIR/report.html</c>)
    /// atomically, and returns the path written. On any error nothing is written.</summary>
    public static string Write(string dir, string? output = null)
    {
        string html = Build(dir);
        string path = string.IsNullOrEmpty(output) ? Path.Combine(dir, FileName) : output;
        AtomicFile.WriteAllText(path, html);
        return path;
    }

    private static List<EpochMetrics> ReadMetrics(string path)
    {
        try
        {
            return MetricsLog.Read(path);
        }
        catch (FormatException e)
        {
            throw new ReportFormatException(path, e.Message, e);
        }
    }

    private static string ModelName(RunConfig c) => c.Model.Title;

    private static string DatasetName(string dataset)
    {
        if (!Path.IsPathRooted(dataset)) return dataset;
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(dataset));
        return name.Length > 0 ? name : dataset;
    }

    private static HtmlFragment Lead(string dir, RunConfig c, List<EpochMetrics> metrics)
    {
        var lead = Html.Text("Run folder ") + Html.Code(Path.GetFullPath(dir)) + ". ";
        if (metrics.Count > 0)
        {
            var last = metrics[^1];
            lead += $"{last.Epoch} of {c.Epochs} epochs trained; at the last, the test −ELBO is {F(last.TestLoss)} nats per example " +
                $"(reconstruction {F(last.TestRecon)}, KL {F(last.TestKl)}).";
        }
        else lead += $"No epoch finished yet (of {c.Epochs}).";
        if (c.ElboVersion.Length > 0) lead += $" Written by Elbo {c.ElboVersion}.";
        return lead;
    }

    private static List<IReadOnlyList<string>> ConfigurationRows(RunConfig c)
    {
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "Model", c.Model.Name },
            new[] { "Likelihood", c.Likelihood.Description(new Likelihoods.LikelihoodOptions((float)(c.Sigma ?? 1.0))) },
            new[] { "Objective", c.Objective.Describe(c.ObjectiveOptions()) },
            new[] { "Latent dimensions", I(c.Latent) },
        };
        foreach (var (label, value) in c.Model.ReportRows(c.ModelOptions())) rows.Add([label, value]);
        rows.Add(["Data", c.Dataset]);
        rows.Add([c.Input.Kind == Data.DataKind.Table ? "Input" : "Input (channels × height × width)", c.Input.ToString()]);
        if (c.Images is { } images) rows.Add(["Pictures prepared as", images.ToString()]);
        if (c.Limit is { } limit) rows.Add(["Pictures taken (seeded)", I(limit)]);
        if (c.ClassNames is { Length: > 0 } classes) rows.Add(["Classes (folders)", string.Join(", ", classes)]);
        rows.Add(["Normalization", c.Normalization.Kind]);
        rows.Add(["Epochs", I(c.Epochs)]);
        rows.Add(["Batch size", I(c.BatchSize)]);
        rows.Add(["Learning rate (Adam)", G(c.Lr)]);
        rows.Add(["KL weight β", G(c.Beta)]);
        rows.Add(["KL warm-up epochs", I(c.Warmup)]);
        rows.Add(["Free bits (nats per dimension)", G(c.FreeBits)]);
        rows.Add(["KL estimator", Objectives.KlEstimators.Describe(c.Kl)]);
        rows.Add(["Seed", c.Seed.ToString(CultureInfo.InvariantCulture)]);
        rows.Add(["Threads", c.Threads == 0 ? "0 (all cores)" : I(c.Threads)]);
        return rows;
    }

    private static List<IReadOnlyList<string>> MetricRows(List<EpochMetrics> metrics)
    {
        var rows = new List<IReadOnlyList<string>>(metrics.Count);
        foreach (var m in metrics)
            rows.Add([I(m.Epoch), F(m.TrainLoss), F(m.TrainRecon), F(m.TrainKl), F(m.TestLoss), F(m.TestRecon), F(m.TestKl),
                G(m.KlWeight), m.TrainSeconds.ToString("F1", CultureInfo.InvariantCulture), m.ExamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture)]);
        return rows;
    }

    // The classes of a conditional run from the first, by name where the data set has names.
    private static string ClassList(RunConfig config)
    {
        int classes = config.Classes ?? 0;
        var names = Data.ClassNames.For(config.Dataset);
        return string.Join(", ", Enumerable.Range(0, classes).Select(i => names is not null && i < names.Count ? names[i] : i.ToString(CultureInfo.InvariantCulture)));
    }

    // The last epoch with pictures: the log's last epoch, or the highest samples_E.png when the log is empty.
    private static int LastEpoch(string dir, List<EpochMetrics> metrics)
    {
        if (metrics.Count > 0) return metrics[^1].Epoch;
        var epochs = new RunFolder(dir).SampleEpochs();
        return epochs.Count > 0 ? epochs[^1] : 0;
    }

    private static HtmlFragment? Png(string dir, string fileName, string alt, List<ReportPiece>? absent, ReportPiece? piece = null)
    {
        string path = Path.Combine(dir, fileName);
        if (!File.Exists(path))
        {
            if (piece != null) absent?.Add(piece);
            return null;
        }
        try
        {
            return Html.PngImage(File.ReadAllBytes(path), alt);
        }
        catch (FormatException e)
        {
            throw new ReportFormatException(path, e.Message, e);
        }
    }

    private static HtmlFragment? Svg(string dir, ReportPiece piece, string label, List<ReportPiece>? absent)
    {
        string path = Path.Combine(dir, piece.FileName);
        if (!File.Exists(path))
        {
            absent?.Add(piece);
            return null;
        }
        try
        {
            return Html.Svg(File.ReadAllText(path), label, Path.GetFileNameWithoutExtension(piece.FileName) + "-");
        }
        catch (FormatException e)
        {
            throw new ReportFormatException(path, e.Message, e);
        }
    }

    internal static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

    internal static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    internal static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
