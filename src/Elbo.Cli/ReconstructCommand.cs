using System.CommandLine;
using Elbo.Engine.Autograd;
using Elbo.Imaging;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>`elbo reconstruct DIR`: test inputs above their reconstructions, as a PNG.</summary>
internal static class ReconstructCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train" };
        var n = new Option<int>("--n") { Description = "number of test examples", DefaultValueFactory = _ => 8 };
        var output = new Option<string>("--out") { Description = "PNG file to write", Required = true };
        var data = new Option<string?>("--data") { Description = "the data (default: the run's)" };
        var command = new Command("reconstruct", "Reconstruct the first N test examples (z = μ(x)); inputs above reconstructions.") { dir, n, output, data };
        command.SetAction(parse =>
        {
            int count = parse.GetValue(n);
            if (count <= 0) throw new ArgumentException($"--n must be positive, got {count}");
            using var claim = RunClaim.ForWriting(parse.GetValue(dir)!, "elbo reconstruct", parse.GetValue(output));
            var (config, model) = TrainedRun.Load(parse.GetValue(dir)!);
            var shape = SampleCommand.Shape(config);
            var test = TrainedRun.LoadData(config, parse.GetValue(data)).Test;
            count = Math.Min(count, test.Count);
            var x = Tensor.Zeros(count, test.Features);
            for (int i = 0; i < count; i++) test.CopyImage(i, x.Data.Slice(i * test.Features, test.Features));
            using (GradMode.NoGrad())
                ImageGrid.Reconstructions(x, model.Reconstruct(x, test.Labels[..count]), shape, count, scale: 2).Save(parse.GetValue(output)!);
            stdout.WriteLine($"wrote {count} test examples and their reconstructions to {parse.GetValue(output)}");
            return ElboCommand.Ok;
        });
        return command;
    }
}
