namespace Elbo.Reporting;

/// <summary>An optional file of a run folder that the report shows when it is there: its name, what it shows, the
/// command that makes it, and (when it applies only to some runs) which.</summary>
/// <param name="FileName">The file's name in the run folder.</param>
/// <param name="What">What it shows, a short noun phrase.</param>
/// <param name="Command">The command that writes it, with <c>DIR</c> for the run folder.</param>
/// <param name="Only">The runs it applies to, or null for every run.</param>
public sealed record ReportPiece(string FileName, string What, string Command, string? Only = null)
{
    /// <summary>Training curves (−ELBO, reconstruction and KL per epoch).</summary>
    public static readonly ReportPiece Curves = new(Plotting.TrainingCurves.FileName, "training curves", "elbo plot DIR");

    /// <summary>The test set's latent means, coloured by label.</summary>
    public static readonly ReportPiece Latent = new(Plotting.LatentScatter.FileName, "latent scatter", "elbo plot DIR");

    /// <summary>Decoded images over a grid of the 2-D latent space (or its two most informative dimensions).</summary>
    public static readonly ReportPiece Manifold = new(Plotting.Manifold.FileName, "2-D manifold", "elbo plot DIR", "runs on images");

    /// <summary>The ring toy data against samples of the model.</summary>
    public static readonly ReportPiece Ring = new(Plotting.RingPlot.FileName, "ring data against samples", "elbo plot DIR", "runs on the ring toy data");

    /// <summary>Decodings along straight lines between test images' codes.</summary>
    public static readonly ReportPiece Interpolation = new(RunFolder.Interpolation, "latent interpolation", "elbo interpolate DIR");

    /// <summary>Decodings as one latent dimension at a time sweeps its range.</summary>
    public static readonly ReportPiece Traversal = new(RunFolder.Traversal, "latent traversal", "elbo traverse DIR");

    /// <summary>The same prior draws decoded by this run and by a plain autoencoder, and both models' encodings.</summary>
    public static readonly ReportPiece Comparison = new(RunFolder.Comparison, "prior draws decoded by this model and an autoencoder", "elbo compare DIR DIR_AE",
        "a VAE compared with an autoencoder run");

    /// <summary>Both models' test encodings against draws from the prior (written by <c>elbo compare</c> too).</summary>
    public static readonly ReportPiece ComparisonCodes = new(Plotting.PriorComparisonPlot.FileName, "encodings against the prior", "elbo compare DIR DIR_AE",
        "a VAE compared with an autoencoder run");

    /// <summary>The evaluation figures (importance-sampled likelihood, gaps, active units).</summary>
    /// <summary>Real-against-synthetic histograms of a table run's columns.</summary>
    public static readonly ReportPiece QualityColumns = new(RunFolder.QualityHistograms, "synthetic-row quality", "elbo quality DIR", "runs on tables");

    /// <summary>The real and synthetic correlation matrices of a table run.</summary>
    public static readonly ReportPiece QualityCorrelations = new(RunFolder.QualityCorrelations, "correlation matrices", "elbo quality DIR", "runs on tables");

    /// <summary>The evaluation.</summary>
    public static readonly ReportPiece Evaluation = new(Elbo.Evaluation.EvalResultFile.FileName, "evaluation", "elbo eval DIR");

    /// <summary>Every optional piece, in the order of the report.</summary>
    public static IReadOnlyList<ReportPiece> All { get; } = [Curves, Latent, Manifold, Interpolation, Traversal, Ring, Evaluation];
}
