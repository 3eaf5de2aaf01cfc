using System.CommandLine;
using System.Globalization;
using Elbo.Data;
using Elbo.Evaluation;
using Elbo.Plotting;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>`elbo compare DIR_VAE DIR_AE`: the same prior draws decoded by two models, and how each model's test
/// encodings sit against N(0, I).</summary>
internal static class CompareCommand
{
    public static Command Create(TextWriter stdout)
    {
        var first = new Argument<string>("DIR_VAE") { Description = "a run folder (typically a VAE)" };
        var second = new Argument<string>("DIR_AE") { Description = "a second run folder with the same latent size (typically --model ae)" };
        var n = new Option<int>("--n") { Description = "number of prior draws z ~ N(0, I) decoded by both models", DefaultValueFactory = _ => 32 };
        var examples = new Option<int>("--examples") { Description = "test examples encoded for the statistics", DefaultValueFactory = _ => 5000 };
        var output = new Option<string?>("--out") { Description = "folder for compare.png and compare.svg (default: DIR_VAE)" };
        var seed = new Option<ulong>("--seed") { Description = "seed of the prior draws", DefaultValueFactory = _ => 1UL };
        var data = new Option<string?>("--data") { Description = "the data (default: the first run's)" };
        var command = new Command("compare", "Decode the same z ~ N(0, I) with two models (VAE vs plain autoencoder) and compare their encodings with the prior.")
            { first, second, n, examples, output, seed, data };
        command.SetAction(parse =>
        {
            int count = parse.GetValue(n), exampleCount = parse.GetValue(examples);
            if (count <= 0) throw new ArgumentException($"--n must be positive, got {count}");
            if (exampleCount <= 0) throw new ArgumentException($"--examples must be positive, got {exampleCount}");
            string dirA = parse.GetValue(first)!, dirB = parse.GetValue(second)!;
            using var claim = RunClaim.ForWriting(dirA, "elbo compare", parse.GetValue(output) ?? dirA);
            using var claimB = RunClaim.ForWriting(dirB, "elbo compare", parse.GetValue(output));
            var (configA, modelA) = TrainedRun.Load(dirA);
            var (configB, modelB) = TrainedRun.Load(dirB);
            string nameA = Label(dirA, configA.Model.Name), nameB = Label(dirB, configB.Model.Name);
            ModelComparison.CheckCompatible(modelA, modelB, nameA, nameB);
            var test = TrainedRun.LoadData(configA, parse.GetValue(data)).Test;
            string outDir = parse.GetValue(output) ?? dirA;
            Directory.CreateDirectory(outDir);

            var codesA = LatentCodes.Encode(modelA, test, exampleCount);
            var codesB = LatentCodes.Encode(modelB, test, exampleCount);
            var rows = new List<(string Name, CodeStatistics Stats)> { (nameA, CodeStatistics.From(codesA)), (nameB, CodeStatistics.From(codesB)) };
            bool images = configA.Input.IsImage;
            string picture = Path.Combine(outDir, Reporting.ReportPiece.Comparison.FileName), plot = Path.Combine(outDir, PriorComparisonPlot.FileName);
            // Everything is computed before anything is written.
            var decodes = images ? ModelComparison.PriorDecodes([modelA, modelB], count, parse.GetValue(seed)) : null;
            string svg = PriorComparisonPlot.Svg([(nameA, codesA), (nameB, codesB)], configA.LabelNames());
            using (var group = Serialization.AtomicFile.Group())      // both files or neither
            {
                decodes?.Save(picture);
                Serialization.AtomicFile.WriteAllText(plot, svg);
                group.Commit();
            }

            var ic = CultureInfo.InvariantCulture;
            stdout.WriteLine($"test encodings against the prior N(0, I) ({rows[0].Stats.Examples} examples; the prior has ‖mean‖ 0, RMS std 1, KL 0, 99 % inside):");
            stdout.WriteLine(string.Format(ic, "{0,-28} {1,10} {2,10} {3,16} {4,12} {5,12}", "model", "‖mean‖", "RMS std", "std min..max", "KL(fit‖p)", "inside 99%"));
            foreach (var (name, s) in rows)
                stdout.WriteLine(string.Format(ic, "{0,-28} {1,10:F3} {2,10:F3} {3,16} {4,12:F2} {5,11:F1}%", name, s.MeanNorm, s.RmsStd,
                    $"{s.MinStd:F2}..{s.MaxStd:F2}", s.KlOfGaussianFit, 100 * s.InsidePrior99));
            stdout.WriteLine("‖mean‖ and RMS std: where the codes sit and how far they spread; KL(fit‖p): the codes' moment-matched Gaussian against N(0, I);");
            stdout.WriteLine("inside 99%: the share of codes where the prior puts 99 % of its mass. Far from the prior, z ~ N(0, I) lands where the decoder never learnt.");
            if (images) stdout.WriteLine($"wrote {count} prior draws decoded by {nameA} (left) and {nameB} (right) to {picture}");
            stdout.WriteLine($"wrote both models' test encodings against N(0, I) to {plot} ({nameA}: {Dims(codesA)}; {nameB}: {Dims(codesB)})");
            return ElboCommand.Ok;
        });
        return command;
    }

    private static string Dims(LatentCodes codes) => string.Join(" and ", codes.DimensionsByInformation().Take(2).Select(d => $"z{d}"));

    private static string Label(string dir, string model) =>
        $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)))} ({model})";
}
