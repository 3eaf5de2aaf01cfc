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
            using var claim = RunClaim.ForWriting(run, "elbo plot", run);
            var (config, model) = TrainedRun.Load(run);
            string? dataOverride = parse.GetValue(data);
            var test = TrainedRun.LoadData(config, dataOverride).Test;
            string dataName = string.IsNullOrEmpty(dataOverride) ? config.Dataset : DataSource.Canonical(dataOverride);
            var outputs = RunPlots.Make(run, model, config, test, dataName, count, size);
            using (var group = AtomicFile.Group())       // all the pictures or none
            {
                foreach (var output in outputs) output.Write(Path.Combine(run, output.FileName));
                group.Commit();
            }
            foreach (var output in outputs) stdout.WriteLine($"wrote {Path.Combine(run, output.FileName)}: {output.Description}");
            if (!outputs.Any(o => o.FileName == TrainingCurves.FileName))
                stdout.WriteLine($"no epochs in {Path.Combine(run, RunFolder.Metrics)}: {TrainingCurves.FileName} not written");
            return ElboCommand.Ok;
        });
        return command;
    }
}
