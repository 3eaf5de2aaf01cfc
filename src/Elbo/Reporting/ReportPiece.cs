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
    public static readonly ReportPiece Curves = new("curves.svg", "training curves", "elbo plot DIR");

    /// <summary>The test set's latent means, coloured by label.</summary>
    public static readonly ReportPiece Latent = new("latent.svg", "latent scatter", "elbo latent DIR");

    /// <summary>Decoded images over a grid of a 2-D latent space.</summary>
    public static readonly ReportPiece Manifold = new("manifold.png", "2-D manifold", "elbo latent DIR", "runs with a 2-D latent space");

    /// <summary>The ring toy data against samples of the model.</summary>
    public static readonly ReportPiece Ring = new("ring.svg", "ring data against samples", "elbo plot DIR", "runs on the ring toy data");

    /// <summary>Decodings along straight lines between test images' codes.</summary>
    public static readonly ReportPiece Interpolation = new("interpolation.png", "latent interpolation", "elbo interpolate DIR");

    /// <summary>Decodings as one latent dimension at a time sweeps its range.</summary>
    public static readonly ReportPiece Traversal = new("traversal.png", "latent traversal", "elbo traverse DIR");

    /// <summary>The evaluation figures (importance-sampled likelihood, gaps, active units).</summary>
    public static readonly ReportPiece Evaluation = new("eval.json", "evaluation", "elbo eval DIR");

    /// <summary>Every optional piece, in the order of the report.</summary>
    public static IReadOnlyList<ReportPiece> All { get; } = [Curves, Latent, Manifold, Interpolation, Traversal, Ring, Evaluation];
}
