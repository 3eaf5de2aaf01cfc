using Elbo.Tests.Reporting;

namespace Elbo.Cli.Tests;

public class ReportCommandTests : CliTestBase
{
    [Fact]
    public void Train_writes_the_report_at_the_end_and_says_where()
    {
        string run = Path.Combine(_dir, "run");
        var (code, output, err) = Run(Train(run));
        Assert.True(code == 0, err);
        string report = Path.Combine(run, "report.html");
        Assert.Contains($"report: {report}", output);
        string html = File.ReadAllText(report);
        Assert.Contains("<section id=\"training\">", html);
        Assert.Contains("Samples and reconstructions (epoch 2)", html);
    }

    [Fact]
    public void Report_writes_DIR_report_html_or_the_out_file()
    {
        string run = TrainedRun();
        File.Delete(Path.Combine(run, "report.html"));
        ReportFixtures.WriteOptionalPieces(run, latent: 3);
        var (code, output, err) = Run("report", run);
        Assert.True(code == 0, err);
        Assert.Equal($"wrote the report to {Path.Combine(run, "report.html")}", output.Trim());
        Assert.Contains("<section id=\"evaluation\">", File.ReadAllText(Path.Combine(run, "report.html")));

        string other = Path.Combine(_dir, "elsewhere", "r.html");
        (code, output, err) = Run("report", run, "--out", other);
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllText(Path.Combine(run, "report.html")), File.ReadAllText(other));
    }

    [Fact]
    public void Folder_without_a_checkpoint_is_a_one_line_usage_error_and_writes_nothing()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        var (code, output, err) = Run("report", empty);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.Contains("no checkpoint", err);
        Assert.Empty(Directory.GetFileSystemEntries(empty));

        (code, _, err) = Run("report", Path.Combine(_dir, "missing"));
        Assert.Equal(2, code);
        Assert.Contains("no such run folder", err);
    }

    [Fact]
    public void Malformed_eval_json_is_a_one_line_error_naming_it_and_the_old_report_stays()
    {
        string run = TrainedRun();
        string report = Path.Combine(run, "report.html");
        string before = File.ReadAllText(report);
        string eval = Path.Combine(run, "eval.json");
        File.WriteAllText(eval, "{ \"negElbo\": ");
        var (code, _, err) = Run("report", run);
        Assert.Equal(1, code);
        Assert.StartsWith($"elbo: {eval}: not valid JSON", err);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.Equal(before, File.ReadAllText(report));
    }

    [Fact]
    public void Out_naming_a_folder_is_a_usage_error()
    {
        string run = TrainedRun();
        var (code, _, err) = Run("report", run, "--out", _dir);
        Assert.Equal(2, code);
        Assert.Contains("--out takes a file name", err);
    }
}
