using System.Diagnostics;

namespace Elbo.Cli.Tests;

/// <summary>SIGTERM during training, sent to a real elbo process.</summary>
public class InterruptTests : CliTestBase
{
    [Fact]
    public void SigtermStopsBetweenStepsKeepsTheCheckpointAndSaysHowToResume()
    {
        string run = Path.Combine(_dir, "run");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string a in (string[])[typeof(ElboCommand).Assembly.Location, .. Train(run, "--epochs", "100000", "--no-report")])
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("epoch 2/", StringComparison.Ordinal)) { }
        Assert.NotNull(line);                                   // two epochs done: a checkpoint is on disk
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        Assert.True(process.WaitForExit(30_000), "the process did not stop within 30 s of SIGTERM");
        Assert.Equal(143, process.ExitCode);
        Assert.Contains("interrupted by SIGTERM", stderr.Result);
        Assert.Contains("--resume", stderr.Result);
        Assert.False(File.Exists(Path.Combine(run, RunFolderLock.FileName)));
        var (code, output, err) = Run("train", "--out", run, "--resume", "--epochs", "3", "--data", Data());
        Assert.True(code == 0, err);
    }
}
