using Elbo.Data;
using System.CommandLine;
using Elbo.Engine.Autograd;
using Elbo.Imaging;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>`elbo sample DIR`: decodes z ~ N(0, I) into a PNG grid.</summary>
internal static class SampleCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train" };
        var n = new Option<int>("--n") { Description = "number of samples", DefaultValueFactory = _ => 64 };
        var output = new Option<string>("--out") { Description = "PNG file to write", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "random seed", DefaultValueFactory = _ => 1UL };
        var command = new Command("sample", "Decode draws from the prior N(0, I) into a PNG grid (means of p(x|z)).") { dir, n, output, seed };
        command.SetAction(parse =>
        {
            int count = parse.GetValue(n);
            if (count <= 0) throw new ArgumentException($"--n must be positive, got {count}");
            var (config, model) = TrainedRun.Load(parse.GetValue(dir)!);
            using (GradMode.NoGrad())
            {
                var samples = model.Sample(count, new Generator(parse.GetValue(seed)));
                var image = ImageGrid.Compose(samples, Math.Min(ImageGrid.SampleColumns, count), Shape(config), scale: 2);
                image.Save(parse.GetValue(output)!);
            }
            stdout.WriteLine($"wrote {count} samples to {parse.GetValue(output)}");
            return ElboCommand.Ok;
        });
        return command;
    }

    internal static DataShape Shape(Serialization.RunConfig c)
    {
        if (!c.Input.IsImage)
            throw new ArgumentException($"the run's data ({c.Input}) are not images: nothing to draw");
        return c.Input;
    }
}
