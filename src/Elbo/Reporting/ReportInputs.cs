using Elbo.Serialization;
using Elbo.Data;
using Elbo.Evaluation;
using Elbo.Plotting;
using Elbo.Training;

namespace Elbo.Reporting;

/// <summary>How much work <see cref="ReportInputs.Make"/> puts into the pieces it computes.</summary>
public sealed record ReportInputOptions
{
    /// <summary>Test examples in the latent scatter (and points in ring.svg).</summary>
    public int ScatterExamples { get; init; } = 5000;

    /// <summary>The manifold picture's grid size.</summary>
    public int Grid { get; init; } = Manifold.DefaultGrid;

    /// <summary>Importance samples per example for eval.json.</summary>
    public int EvalK { get; init; } = 100;

    /// <summary>Test examples evaluated for eval.json (null: all).</summary>
    public int? EvalExamples { get; init; } = 1000;

    /// <summary>Whether to compute eval.json at all.</summary>
    public bool Evaluate { get; init; } = true;
}

/// <summary>
/// Computes the pieces of a run folder that the report shows (the plots of <see cref="RunPlots"/>, the interpolation,
/// the traversal and eval.json) so that one command gives the whole page: <c>elbo report</c> makes those that are
/// missing, <c>elbo train</c> remakes all of them at the end of a run (the old ones describe an older model). Every
/// piece is computed in memory before any file is written, each file atomically.
/// </summary>
public static class ReportInputs
{
    /// <summary>Makes the pieces of <paramref name="dir"/> that are missing (or all with <paramref name="refresh"/>),
    /// writes them and returns one line per file written.</summary>
    /// <param name="dir">The run folder.</param>
    /// <param name="options">How much work to put into the pieces.</param>
    /// <param name="refresh">Remake every piece, not only the missing ones.</param>
    /// <param name="test">The run's test split when the caller has it loaded (else it is loaded from the run's data).</param>
    /// <param name="progress">Receives a word on each stage.</param>
    public static List<string> Make(string dir, ReportInputOptions options, bool refresh, Dataset? test = null, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (config, model) = TrainedRun.Load(dir);
        bool Wanted(string file) => refresh || !File.Exists(Path.Combine(dir, file));
        var plotFiles = new[] { LatentScatter.FileName, Manifold.FileName, TrainingCurves.FileName, RingPlot.FileName };
        bool images = config.Input.IsImage, points = config.Input.IsPlanarPoints;
        bool needPlots = plotFiles.Any(f => Wanted(f) && (f == Manifold.FileName ? images : f != RingPlot.FileName || points));
        bool needEval = options.Evaluate && Wanted(EvalResultFile.FileName);
        bool needLatentPictures = images && (Wanted(ReportPiece.Interpolation.FileName) || Wanted(ReportPiece.Traversal.FileName));
        var outputs = new List<RunOutput>();
        if (!needPlots && !needEval && !needLatentPictures) return [];

        test ??= TrainedRun.LoadData(config).Test;
        if (needPlots)
        {
            progress?.Report("plots");
            foreach (var output in RunPlots.Make(dir, model, config, test, config.Dataset, options.ScatterExamples, options.Grid))
                if (Wanted(output.FileName)) outputs.Add(output);
        }
        if (needLatentPictures)
        {
            progress?.Report("interpolation and traversal");
            foreach (var output in LatentPictures.Make(model, test))
                if (Wanted(output.FileName)) outputs.Add(output);
        }
        if (needEval)
        {
            progress?.Report($"evaluation (k = {options.EvalK}, {(options.EvalExamples is { } n ? $"first {Math.Min(n, test.Count):N0}" : "all")} test examples)");
            var result = Evaluator.Run(model, test, new EvalOptions { K = options.EvalK, Count = options.EvalExamples });
            outputs.Add(new RunOutput(EvalResultFile.FileName, path => EvalResultFile.Write(path, result),
                $"−ELBO {result.NegElbo:F2} nats" + (result.ImportanceSampled is { } iw ? $", −log p(x) ≈ {iw.NegLogPx:F2} (k = {result.K}), gap {iw.ElboGap:F2}" : "") +
                $", {result.ActiveUnits} of {model.Latent} active units ({result.Examples:N0} test examples)"));
        }
        var lines = new List<string>(outputs.Count);
        using var group = AtomicFile.Group();           // all the pieces or none
        foreach (var output in outputs)
        {
            string path = Path.Combine(dir, output.FileName);
            output.Write(path);
            lines.Add($"{path}: {output.Description}");
        }
        group.Commit();
        return lines;
    }
}
