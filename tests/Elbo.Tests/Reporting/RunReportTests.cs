using Elbo.Reporting;
using Elbo.Serialization;
using Elbo.Training;

namespace Elbo.Tests.Reporting;

public sealed class RunReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elbo-report").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Run(bool pieces = true)
    {
        string run = ReportFixtures.WriteRun(Path.Combine(_dir, "run"));
        if (pieces) ReportFixtures.WriteOptionalPieces(run, latent: 3);
        return run;
    }

    [Fact]
    public void Report_of_a_complete_run_has_every_section_and_no_absent_note()
    {
        string html = RunReport.Build(Run());
        Assert.Contains("<title>Elbo run: mlp VAE on fashion-mnist</title>", html);
        foreach (var id in new[] { "configuration", "training", "samples", "latent", "ring", "evaluation" })
            Assert.Contains($"<section id=\"{id}\">", html);
        Assert.DoesNotContain("id=\"absent\"", html);
        Assert.Contains("aria-label=\"Training curves\"", html);
        Assert.Contains("aria-label=\"Latent scatter\"", html);
        Assert.Contains("aria-label=\"Ring data against samples\"", html);
        foreach (var alt in new[] { "Samples from the prior", "Test images above their reconstructions", "Manifold of the latent space", "Latent interpolation", "Latent traversal" })
            Assert.Contains($"alt=\"{alt}\"", html);
        // the last epoch's pictures, not the first's
        Assert.Contains("Samples and reconstructions (epoch 2)", html);
        Assert.Contains(Convert.ToBase64String(File.ReadAllBytes(Path.Combine(_dir, "run", "samples_2.png"))), html);
        Assert.DoesNotContain(Convert.ToBase64String(File.ReadAllBytes(Path.Combine(_dir, "run", "samples_1.png"))), html);
        // the two inline SVGs that both use id="plot" no longer clash
        Assert.Contains("id=\"curves-plot\"", html);
        Assert.Contains("id=\"latent-plot\"", html);
        Assert.Contains("id=\"ring-plot\"", html);
    }

    [Fact]
    public void Metrics_table_has_a_row_per_epoch_with_losses_seconds_and_throughput()
    {
        string html = RunReport.Build(Run());
        Assert.Contains("<th scope=\"col\" class=\"num\">Train −ELBO</th>", html);
        Assert.Contains("<td class=\"num\">1</td><td class=\"num\">119.00</td><td class=\"num\">109.00</td><td class=\"num\">10.00</td><td class=\"num\">118.00</td>", html);
        Assert.Contains("<td class=\"num\">2</td><td class=\"num\">118.00</td>", html);
        Assert.Contains("<td class=\"num\">1.0</td><td class=\"num\">1,234</td>", html);
    }

    [Fact]
    public void Configuration_table_lists_the_run_settings()
    {
        string html = RunReport.Build(Run());
        Assert.Contains("<td>Latent dimensions</td><td>3</td>", html);
        Assert.Contains("<td>Hidden layers</td><td>16</td>", html);
        Assert.Contains("<td>Input (channels × height × width)</td><td>1x8x8</td>", html);
        Assert.Contains("<td>Seed</td><td>7</td>", html);
    }

    [Fact]
    public void Evaluation_figures_each_come_with_a_sentence_on_their_meaning()
    {
        string html = RunReport.Build(Run());
        Assert.Contains("The ELBO gap, 2.75 nats, is how far q(z|x) is from the true posterior: the KL between them, averaged over the test set.", html);
        Assert.Contains("98.50 ± 0.42 nats", html);
        Assert.Contains("with 50 samples from q(z|x) per image", html);
        Assert.Contains("2 of the 3 latent dimensions are active", html);
        Assert.Contains("The amortization gap, 2.25 nats", html);
        Assert.Contains("2.5 of 50 (5 %)", html);
        Assert.Contains("on 12 test examples, with 50 importance samples per example, in 1.5 s", html);
        // per-dimension table: the last dimension is inactive
        Assert.Contains("<td class=\"num\">2</td><td class=\"num\">1.000</td><td class=\"num\">0.001</td><td>no</td>", html);
    }

    [Fact]
    public void Missing_pieces_are_left_out_and_listed_with_the_command_that_makes_them()
    {
        string run = Run(pieces: false);
        string html = RunReport.Build(run);
        Assert.DoesNotContain("<section id=\"evaluation\">", html);
        Assert.DoesNotContain("<section id=\"latent\">", html);
        Assert.DoesNotContain("<section id=\"ring\">", html);
        Assert.DoesNotContain("<svg", html);
        Assert.Contains("<section id=\"absent\">", html);
        foreach (var piece in ReportPiece.All)
        {
            string item = $"<li><code>{piece.FileName}</code> ({piece.What}): <code>{Html.Escape(piece.Command.Replace("DIR", run))}</code>";
            // an image run has no ring picture to miss
            if (piece == ReportPiece.Ring) Assert.DoesNotContain(item, html);
            else Assert.Contains(item, html);
        }
        // a comparison needs a second run: its absence is not worth a note
        Assert.DoesNotContain("compare.png", html);
    }

    [Fact]
    public void A_comparison_with_an_autoencoder_gets_its_own_section()
    {
        string run = Run(pieces: false);
        File.WriteAllBytes(Path.Combine(run, "compare.png"), ReportFixtures.Png(40, 20));
        File.WriteAllText(Path.Combine(run, "compare.svg"), ReportFixtures.ScatterSvg());
        string html = RunReport.Build(run);
        Assert.Contains("<section id=\"compare\">", html);
        Assert.Contains("alt=\"Prior draws decoded by both models\"", html);
        Assert.Contains("aria-label=\"Encodings against the prior\"", html);
    }

    [Fact]
    public void Missing_manifold_is_listed_for_image_runs_of_any_latent_size()
    {
        string run = ReportFixtures.WriteRun(Path.Combine(_dir, "run2d"), latent: 2);
        Assert.Contains("<li><code>manifold.png</code> (2-D manifold)", RunReport.Build(run));
    }

    [Fact]
    public void Eval_json_is_read_tolerantly_missing_null_and_unknown_fields_are_skipped()
    {
        string run = Run(pieces: false);
        File.WriteAllText(Path.Combine(run, "eval.json"), """{ "negElbo": 100.5, "importanceSampled": null, "amortization": null, "future": [1, 2], "kl": "n/a" }""");
        string html = RunReport.Build(run);
        Assert.Contains("The −ELBO, 100.50 nats, is the loss", html);
        Assert.DoesNotContain("ELBO gap", html);
        Assert.DoesNotContain("The KL term", html);
        Assert.DoesNotContain("<code>eval.json</code>", html);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1, 2]")]
    public void Malformed_eval_json_is_an_error_naming_the_file(string text)
    {
        string run = Run(pieces: false);
        string path = Path.Combine(run, "eval.json");
        File.WriteAllText(path, text);
        var e = Assert.Throws<ReportFormatException>(() => RunReport.Build(run));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("manifold.png")]
    [InlineData("samples_2.png")]
    public void Damaged_png_in_the_run_is_an_error_naming_the_file(string name)
    {
        string run = Run();
        File.WriteAllBytes(Path.Combine(run, name), ReportFixtures.PngWithCorruptData());
        var e = Assert.Throws<ReportFormatException>(() => RunReport.Build(run));
        Assert.StartsWith(Path.Combine(run, name) + ": corrupt PNG", e.Message);
    }

    [Fact]
    public void Malformed_svg_is_an_error_naming_the_file()
    {
        string run = Run();
        File.WriteAllText(Path.Combine(run, "latent.svg"), "<svg><g></svg>");
        var e = Assert.Throws<ReportFormatException>(() => RunReport.Build(run));
        Assert.StartsWith(Path.Combine(run, "latent.svg") + ": not well-formed SVG", e.Message);
    }

    [Fact]
    public void Folder_without_a_checkpoint_is_a_missing_run()
    {
        Assert.Throws<RunNotFoundException>(() => RunReport.Build(Path.Combine(_dir, "nowhere")));
        string run = Run();
        File.Delete(Checkpoint.WeightsPath(run));
        var e = Assert.Throws<RunNotFoundException>(() => RunReport.Build(run));
        Assert.Contains("no checkpoint", e.Message);
    }

    [Fact]
    public void Write_replaces_the_report_atomically_and_leaves_it_alone_on_failure()
    {
        string run = Run();
        string path = RunReport.Write(run);
        Assert.Equal(Path.Combine(run, "report.html"), path);
        string before = File.ReadAllText(path);
        Assert.Equal(RunReport.Build(run), before);
        File.WriteAllText(Path.Combine(run, "eval.json"), "{");
        Assert.Throws<ReportFormatException>(() => RunReport.Write(run));
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Empty(Directory.GetFiles(run, "*.tmp"));
    }

    [Fact]
    public void Empty_metrics_log_still_reports_the_configuration_and_the_latest_pictures()
    {
        string run = Run(pieces: false);
        File.Delete(Path.Combine(run, "metrics.jsonl"));
        string html = RunReport.Build(run);
        Assert.Contains("metrics.jsonl holds no finished epoch yet.", html);
        Assert.Contains("Samples and reconstructions (epoch 2)", html);
    }
}
