using System.CommandLine;
using Elbo.Engine.Onnx;
using Elbo.Export;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>`elbo export DIR [--out DIR/export] [--opset 17]`: the model as encoder.onnx and decoder.onnx
/// (docs/export.md).</summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train" };
        var output = new Option<string?>("--out") { Description = "folder to write encoder.onnx and decoder.onnx into (default: DIR/export)" };
        var opset = new Option<int>("--opset")
        {
            Description = $"ONNX operator set, {OnnxOpset.Range}", DefaultValueFactory = _ => OnnxOpset.Default,
        };
        var command = new Command("export",
            "Write the model as ONNX: encoder.onnx (x → mu, logvar; an autoencoder's x → z) and decoder.onnx (z → params, mean); " +
            "a cvae also takes label (int64). Batch size is dynamic; metadata_props hold config.json.")
            { dir, output, opset };
        command.SetAction(parse =>
        {
            string run = parse.GetValue(dir)!;
            string folder = parse.GetValue(output) ?? Path.Combine(run, RunFolder.Export);
            if (File.Exists(folder)) throw new ArgumentException($"--out {folder} is a file, not a folder");
            using var claim = RunClaim.ForWriting(run, "elbo export", folder);
            var (config, model) = TrainedRun.Load(run);
            var export = OnnxExport.Create(config, model, parse.GetValue(opset));
            export.Write(folder);
            stdout.WriteLine($"wrote {Path.Combine(folder, RunFolder.EncoderOnnx)} ({string.Join(", ", export.EncoderInputs)} → {string.Join(", ", export.EncoderOutputs)}) " +
                             $"and {RunFolder.DecoderOnnx} ({string.Join(", ", export.DecoderInputs)} → {string.Join(", ", OnnxExport.DecoderOutputs)}), ONNX opset {export.Opset}");
            return ElboCommand.Ok;
        });
        return command;
    }
}
