using System.CommandLine;
using Elbo.Evaluation;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>`elbo encode DIR --out latents.csv`: the encoder's μ (and log σ²) of every example as CSV.</summary>
internal static class EncodeCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train" };
        var output = new Option<string>("--out") { Description = "CSV file to write", Required = true };
        var split = new Option<string>("--split") { Description = "test or train", DefaultValueFactory = _ => "test" };
        var count = new Option<int?>("--n") { Description = "encode only the first N examples (default: all)" };
        var data = new Option<string?>("--data") { Description = "the data (default: the run's)" };
        var command = new Command("encode",
            "Write the codes of a data split as CSV: index,label,mu_0..,logvar_0.. (no logvar for an autoencoder).")
            { dir, output, split, count, data };
        command.SetAction(parse =>
        {
            string which = parse.GetValue(split)!;
            if (which is not ("test" or "train")) throw new ArgumentException($"--split must be test or train, got '{which}'");
            int? n = parse.GetValue(count);
            if (n is <= 0) throw new ArgumentException($"--n must be positive, got {n}");
            using var claim = RunClaim.ForWriting(parse.GetValue(dir)!, "elbo encode", parse.GetValue(output));
            var (config, model) = TrainedRun.Load(parse.GetValue(dir)!);
            var splits = TrainedRun.LoadData(config, parse.GetValue(data));
            var codes = LatentCodes.Encode(model, which == "test" ? splits.Test : splits.Train, n);
            string path = parse.GetValue(output)!;
            LatentCsv.Write(path, codes);
            stdout.WriteLine($"wrote {codes.Count} {which} codes of {codes.Latent} dimensions ({string.Join(" and ", codes.Family.ParameterNames)}) to {path}");
            return ElboCommand.Ok;
        });
        return command;
    }
}
