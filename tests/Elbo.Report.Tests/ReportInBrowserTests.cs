using Elbo.Cli.Tests;
using Elbo.Tests.Reporting;

namespace Elbo.Report.Tests;

/// <summary>The report as a browser shows it: a tiny trained run plus hand-made pieces for every optional section,
/// opened in headless Chromium.</summary>
public sealed class ReportInBrowserTests(ChromiumFixture chromium) : CliTestBase, IClassFixture<ChromiumFixture>
{
    private string ReportOfCompleteRun()
    {
        string run = TrainedRun();
        ReportFixtures.WriteOptionalPieces(run, latent: 3);
        var (code, _, err) = Run("report", run);
        Assert.True(code == 0, err);
        return Path.Combine(run, "report.html");
    }

    [Fact]
    public async Task Every_figure_of_a_complete_report_renders_without_errors_or_requests()
    {
        var check = await PageCheck.RunAsync(chromium.Browser, ReportOfCompleteRun());
        Assert.Empty(check.Problems());
        Assert.Equal(["configuration", "training", "samples", "latent", "ring", "evaluation"], check.Sections);
        Assert.Equal(["Samples from the prior", "Test images above their reconstructions", "Manifold of the latent space", "Latent interpolation", "Latent traversal"], check.Images);
        Assert.Equal(["Training curves", "Latent scatter", "Ring data against samples"], check.Drawings);
    }

    [Fact]
    public async Task The_report_elbo_train_writes_renders_every_piece_it_made()
    {
        // No hand-made pieces: the pictures, eval.json and report.html all come from the train command.
        string run = TrainedRun();
        var check = await PageCheck.RunAsync(chromium.Browser, Path.Combine(run, "report.html"));
        Assert.Empty(check.Problems());
        Assert.Equal(["configuration", "training", "samples", "latent", "evaluation"], check.Sections);
        Assert.Equal(["Samples from the prior", "Test images above their reconstructions", "Manifold of the latent space", "Latent interpolation", "Latent traversal"], check.Images);
        Assert.Equal(["Training curves", "Latent scatter"], check.Drawings);
    }

    [Fact]
    public async Task Report_of_a_run_without_optional_pieces_renders_too()
    {
        string run = TrainedRun("run", "--no-report");
        var (code, _, err) = Run("report", run, "--no-compute");
        Assert.True(code == 0, err);
        var check = await PageCheck.RunAsync(chromium.Browser, Path.Combine(run, "report.html"));
        Assert.Empty(check.Problems());
        Assert.Equal(["configuration", "training", "samples", "absent"], check.Sections);
        Assert.Equal(2, check.Images.Count);
        Assert.Empty(check.Drawings);
    }

    [Fact]
    public async Task Broken_image_in_the_page_is_detected()
    {
        string report = ReportOfCompleteRun();
        string html = File.ReadAllText(report);
        string manifold = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(report)!, "manifold.png")));
        Assert.Contains(manifold, html);
        // A PNG cut after its header: the browser cannot draw it.
        File.WriteAllText(report, html.Replace(manifold, Convert.ToBase64String(ReportFixtures.HeaderOnlyPng()), StringComparison.Ordinal));
        var check = await PageCheck.RunAsync(chromium.Browser, report);
        Assert.Equal(["Manifold of the latent space"], check.BrokenImages);
    }

    [Fact]
    public async Task Corrupt_png_in_the_run_folder_stops_the_report_before_the_browser_sees_it()
    {
        // Chromium draws a PNG with damaged pixel data at its full size without complaint, so the report checks each
        // PNG whole (chunk CRCs, inflated size) and refuses a damaged one, naming it.
        string run = TrainedRun();
        string before = File.ReadAllText(Path.Combine(run, "report.html"));
        File.WriteAllBytes(Path.Combine(run, "traversal.png"), ReportFixtures.PngWithCorruptData());
        var (code, _, err) = Run("report", run);
        Assert.Equal(1, code);
        Assert.StartsWith($"elbo: {Path.Combine(run, "traversal.png")}: corrupt PNG", err);
        Assert.Equal(before, File.ReadAllText(Path.Combine(run, "report.html")));
        Assert.Empty((await PageCheck.RunAsync(chromium.Browser, Path.Combine(run, "report.html"))).Problems());
    }

    [Fact]
    public async Task Reference_outside_the_page_is_blocked_by_the_report_policy_and_detected()
    {
        string report = ReportOfCompleteRun();
        string html = File.ReadAllText(report);
        File.WriteAllText(report, html.Replace("</main>", "<img src=\"http://127.0.0.1:9/x.png\" alt=\"outside\"></main>", StringComparison.Ordinal));
        var check = await PageCheck.RunAsync(chromium.Browser, report);
        Assert.Equal(["outside"], check.BrokenImages);
        Assert.Contains(check.Errors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Empty_drawing_and_failed_request_are_detected()
    {
        string page = Path.Combine(_dir, "page.html");
        File.WriteAllText(page, """
            <!DOCTYPE html><html><body>
            <svg aria-label="empty" width="100" height="100" xmlns="http://www.w3.org/2000/svg"></svg>
            <svg aria-label="drawn" width="100" height="100" xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>
            <img src="http://127.0.0.1:9/x.png" alt="unreachable">
            </body></html>
            """);
        var check = await PageCheck.RunAsync(chromium.Browser, page);
        Assert.Equal(["empty"], check.EmptyDrawings);
        Assert.Equal(["unreachable"], check.BrokenImages);
        Assert.Single(check.FailedRequests);
        Assert.Equal(["http://127.0.0.1:9/x.png"], check.OutsideRequests);
    }
}
