using System.Globalization;

namespace Elbo;

/// <summary>
/// A run folder: the one home of every file name a run writes, the "has a checkpoint" test and the clean-up of what
/// an old model left when a run starts over. Other types name their files through the constants here.
/// </summary>
public sealed class RunFolder
{
    /// <summary>The checkpoint's weights (model, optimizer and training state).</summary>
    public const string Weights = "model.safetensors";

    /// <summary>The run configuration.</summary>
    public const string Config = "config.json";

    /// <summary>One line of metrics per epoch.</summary>
    public const string Metrics = "metrics.jsonl";

    /// <summary>The evaluation (elbo eval).</summary>
    public const string Eval = "eval.json";

    /// <summary>The self-contained report.</summary>
    public const string Report = "report.html";

    /// <summary>The latent scatter.</summary>
    public const string Latent = "latent.svg";

    /// <summary>The manifold picture.</summary>
    public const string Manifold = "manifold.png";

    /// <summary>The training curves.</summary>
    public const string Curves = "curves.svg";

    /// <summary>The ring plot.</summary>
    public const string Ring = "ring.svg";

    /// <summary>The latent interpolation.</summary>
    public const string Interpolation = "interpolation.png";

    /// <summary>The latent traversal.</summary>
    public const string Traversal = "traversal.png";

    /// <summary>Prior draws decoded by a VAE and an autoencoder (elbo compare).</summary>
    public const string Comparison = "compare.png";

    /// <summary>Both models' codes against the prior (elbo compare).</summary>
    public const string ComparisonCodes = "compare.svg";

    /// <summary>The pictures of an image folder that could not be decoded and were left out: one
    /// <c>path&lt;TAB&gt;reason</c> line each, paths relative to the data folder (absent when none were).</summary>
    public const string SkippedImages = "skipped_images.tsv";

    /// <summary>The quality scores of synthetic rows against the training rows (<c>elbo quality</c>, table runs).</summary>
    public const string Quality = "quality.json";

    /// <summary>Real-against-synthetic histograms per column (<c>elbo quality</c>).</summary>
    public const string QualityHistograms = "quality_columns.svg";

    /// <summary>The real and synthetic correlation matrices (<c>elbo quality</c>).</summary>
    public const string QualityCorrelations = "quality_correlations.svg";

    /// <summary>The synthetic rows <c>elbo quality</c> scored when it drew them itself.</summary>
    public const string Synthetic = "synthetic.csv";

    /// <summary>The folder <c>elbo export</c> writes by default.</summary>
    public const string Export = "export";

    /// <summary>The exported encoder (<c>elbo export</c>).</summary>
    public const string EncoderOnnx = "encoder.onnx";

    /// <summary>The exported decoder (<c>elbo export</c>).</summary>
    public const string DecoderOnnx = "decoder.onnx";

    private const string SamplesPrefix = "samples_", ReconstructionsPrefix = "reconstructions_", PictureExtension = ".png";

    // What a run folder holds beside its checkpoint and per-epoch pictures, made from the model: a run that starts
    // over removes them with the old run, so that nothing in the folder describes a model that no longer exists.
    private static readonly string[] Derived =
        [Metrics, Eval, Report, Latent, Manifold, Curves, Ring, Interpolation, Traversal, Comparison, ComparisonCodes, SkippedImages,
         Quality, QualityHistograms, QualityCorrelations, Synthetic, "scores.csv"];

    /// <summary>The folder at <paramref name="path"/> (it need not exist yet).</summary>
    public RunFolder(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = path;
    }

    /// <summary>The folder's path.</summary>
    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The samples picture of epoch <paramref name="epoch"/>: <c>samples_E.png</c>.</summary>
    public static string SamplesName(int epoch) => SamplesPrefix + epoch.ToString(CultureInfo.InvariantCulture) + PictureExtension;

    /// <summary>The reconstructions picture of epoch <paramref name="epoch"/>: <c>reconstructions_E.png</c>.</summary>
    public static string ReconstructionsName(int epoch) => ReconstructionsPrefix + epoch.ToString(CultureInfo.InvariantCulture) + PictureExtension;

    /// <summary>Whether the checkpoint is there (model.safetensors, which holds the configuration too; config.json is
    /// its copy).</summary>
    public bool HasCheckpoint => System.IO.File.Exists(File(Weights));

    /// <summary>Whether the folder holds (part of) a run: either file of a checkpoint.</summary>
    public bool HoldsRun => System.IO.File.Exists(File(Config)) || System.IO.File.Exists(File(Weights));

    /// <summary>The epochs that have a samples picture, in increasing order.</summary>
    public IReadOnlyList<int> SampleEpochs()
    {
        var epochs = new List<int>();
        if (!Directory.Exists(Path)) return epochs;
        foreach (var f in Directory.EnumerateFiles(Path, SamplesPrefix + "*" + PictureExtension))
            if (int.TryParse(System.IO.Path.GetFileNameWithoutExtension(f)[SamplesPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int e))
                epochs.Add(e);
        epochs.Sort();
        return epochs;
    }

    /// <summary>Removes what an old model left (metrics, pictures, evaluation, plots, report, comparison, the ONNX
    /// files of <c>export/</c>, and that folder when nothing else is in it); the checkpoint itself and files that are not
    /// Elbo's stay.</summary>
    public void RemoveDerived()
    {
        if (!Directory.Exists(Path)) return;
        foreach (var file in Directory.GetFiles(Path))
        {
            string name = System.IO.Path.GetFileName(file);
            if (Array.IndexOf(Derived, name) >= 0 || IsEpochPicture(name)) System.IO.File.Delete(file);
        }
        string export = File(Export);
        if (!Directory.Exists(export)) return;
        System.IO.File.Delete(System.IO.Path.Combine(export, EncoderOnnx));
        System.IO.File.Delete(System.IO.Path.Combine(export, DecoderOnnx));
        if (!Directory.EnumerateFileSystemEntries(export).Any()) Directory.Delete(export);
    }

    private static bool IsEpochPicture(string name) =>
        name.EndsWith(PictureExtension, StringComparison.Ordinal)
        && (name.StartsWith(SamplesPrefix, StringComparison.Ordinal) || name.StartsWith(ReconstructionsPrefix, StringComparison.Ordinal));
}
