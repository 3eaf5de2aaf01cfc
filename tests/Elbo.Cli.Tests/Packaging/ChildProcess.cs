using System.Diagnostics;
using System.Text;

namespace Elbo.Cli.Tests.Packaging;

/// <summary>Runs a program (dotnet, bash, an installed tool) to its end with its output captured. The child gets the
/// test's environment without the MSBuild variables the test host inherits from <c>dotnet test</c>, with MSBuild's
/// node reuse, its server and the compiler server off (a build node left running would hold the output pipes open
/// after the build ends), plus the variables given.</summary>
internal static class ChildProcess
{
    /// <summary>The dotnet executable running these tests (its real path, symlinks followed).</summary>
    public static string Dotnet { get; } = FindDotnet();

    /// <summary>Runs <paramref name="program"/> in <paramref name="workingDirectory"/>; fails the test after
    /// <paramref name="timeout"/> (the process tree is killed).</summary>
    public static (int Code, string Out, string Err) Run(string program, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // An installed tool's launcher finds the runtime through DOTNET_ROOT when dotnet is not in a default place.
        start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(Dotnet);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var limit = timeout ?? TimeSpan.FromMinutes(5);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"{program} {string.Join(' ', args)} did not end within {limit.TotalSeconds:F0} s; output so far:\n{stdout}\n{stderr}");
        }
        process.WaitForExit();   // the end of the redirected output
        lock (stdout) lock (stderr) return (process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    private static string FindDotnet()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host) || !File.Exists(host))
            host = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Select(dir => Path.Combine(dir, "dotnet")).FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("dotnet is not on PATH");
        return File.ResolveLinkTarget(host, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(host);
    }
}
