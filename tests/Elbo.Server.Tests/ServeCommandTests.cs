using System.Net;
using System.Net.Sockets;
using Elbo.Cli.Tests;

namespace Elbo.Server.Tests;

/// <summary><c>elbo serve</c> refusing to start: one line on stderr, a nonzero exit, the run folder as it was.</summary>
public sealed class ServeCommandTests : CliTestBase
{
    // The command, in process, stopped after a minute if it serves when it should have refused.
    private (int Code, string Out, string Err) RunServe(params string[] args)
    {
        var run = Task.Run(() => Run(["serve", .. args]));
        Assert.True(run.Wait(TimeSpan.FromSeconds(60)), "elbo serve started serving instead of refusing");
        return run.Result;
    }

    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

    [Fact]
    public void Port_in_use_is_one_line_and_exit_1()
    {
        string run = TrainedRun();
        var before = Files(run);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (code, output, err) = RunServe(run, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, code);
        Assert.Equal($"elbo: cannot listen on 127.0.0.1:{port}: the port is in use (give another with --port, or 0 for any free one)", err.TrimEnd('\n'));
        Assert.DoesNotContain("serving", output);
        Assert.Equal(before.Keys, Files(run).Keys);
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
    }

    [Fact]
    public void Address_this_machine_does_not_have_is_one_line_and_exit_1()
    {
        string run = TrainedRun();
        var (code, _, err) = RunServe(run, "--host", "10.255.255.1", "--port", "0");
        Assert.Equal(1, code);
        Assert.Equal("elbo: cannot listen on 10.255.255.1:0: the address is not one of this machine's (the loopback, 127.0.0.1, always is)", err.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("--host", "example.org", "--host takes an IP address")]
    [InlineData("--port", "70000", "--port must be 0..65535, got 70000")]
    [InlineData("--concurrency", "0", "--concurrency must be positive, got 0")]
    [InlineData("--points", "0", "--points must be positive, got 0")]
    public void Bad_options_are_usage_errors(string option, string value, string message)
    {
        string run = TrainedRun();
        var (code, _, err) = RunServe(run, option, value);
        Assert.Equal(2, code);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Contains(message, err);
    }

    [Fact]
    public void Folder_without_a_checkpoint_is_a_usage_error()
    {
        string empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var (code, _, err) = RunServe(empty, "--port", "0");
        Assert.Equal(2, code);
        Assert.StartsWith($"elbo: {empty}: no checkpoint", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(empty));
    }
}
