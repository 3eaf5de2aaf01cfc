using System.Diagnostics;
using System.Globalization;
using Elbo.Serialization;

namespace Elbo.Distributed.Tests;

/// <summary>
/// A run across two hosts, for real, on this machine: two network namespaces (each its own network stack, like two
/// machines) joined by a veth pair, 10.231.X.1 and 10.231.X.2 (addresses that exist only inside them), with MPICH's
/// launcher starting the second rank through a launcher script in the place of ssh (<c>-launcher rsh -launcher-exec</c>:
/// it runs the proxy command inside the namespace of the host named). <c>UCX_TLS=tcp,self</c> keeps MPICH's UCX
/// transport off shared memory (the two "hosts" share a kernel), so the gradients cross the veth link, whose byte
/// counter shows it. Needs root, as the test command runs.
/// </summary>
public sealed class TwoHostTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elbo-hosts").FullName;
    private readonly string _tag = (Environment.ProcessId % 100000).ToString(CultureInfo.InvariantCulture);
    private readonly int _subnet = Environment.ProcessId % 250 + 1;
    private readonly List<string> _namespaces = [];

    private string Host(int i) => $"10.231.{_subnet}.{i}";

    private string Namespace(int i) => $"elbo{_tag}h{i}";

    public void Dispose()
    {
        foreach (string ns in _namespaces) Ip("netns", "delete", ns);       // the veth pair goes with them
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void TwoRanksOnTwoHostsTrainAsOneProcess()
    {
        Assert.True(Environment.UserName == "root", "the two-host test makes network namespaces and needs root (the test command runs as root)");
        for (int i = 1; i <= 2; i++)
        {
            Ip("netns", "add", Namespace(i));
            _namespaces.Add(Namespace(i));
        }
        string a = $"veth{_tag}a", b = $"veth{_tag}b";
        Ip("link", "add", a, "type", "veth", "peer", "name", b);
        Ip("link", "set", a, "netns", Namespace(1));
        Ip("link", "set", b, "netns", Namespace(2));
        Ip("-n", Namespace(1), "addr", "add", Host(1) + "/24", "dev", a);
        Ip("-n", Namespace(2), "addr", "add", Host(2) + "/24", "dev", b);
        foreach (var (ns, dev) in new[] { (Namespace(1), a), (Namespace(2), b) })
        {
            Ip("-n", ns, "link", "set", "lo", "up");
            Ip("-n", ns, "link", "set", dev, "up");
        }
        // ssh's stand-in: "launcher HOST COMMAND" runs COMMAND (one string, as rsh passes it) in HOST's namespace
        string launcher = Path.Combine(_dir, "netns-launch");
        File.WriteAllText(launcher, $"""
            #!/bin/sh
            host="$1"; shift
            case "$host" in
              {Host(1)}) ns={Namespace(1)} ;;
              {Host(2)}) ns={Namespace(2)} ;;
              *) echo "netns-launch: unknown host $host" >&2; exit 1 ;;
            esac
            exec ip netns exec "$ns" sh -c "$*"

            """);
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        string data = FashionSubset.Write(Path.Combine(_dir, "fashion"), train: 640, test: 256);
        string[] train = ["train", "--data", data, "--batch-size", "32", "--epochs", "1", "--seed", "3", "--no-report"];
        string one = Path.Combine(_dir, "one"), two = Path.Combine(_dir, "two");
        var alone = ElboProcess.Alone([.. train, "--out", one, "--threads", "1"]);
        Assert.True(alone.Code == 0, alone.Err);

        long before = ReceivedBytes(Namespace(1), a);
        List<string> command =
        [
            "ip", "netns", "exec", Namespace(1), ElboProcess.Mpiexec, "-hosts", $"{Host(1)},{Host(2)}", "-launcher", "rsh", "-launcher-exec", launcher,
            "-n", "2", "dotnet", ElboProcess.Dll, .. train, "--out", two,
        ];
        var hosts = ElboProcess.Wait(ElboProcess.Start(command, new Dictionary<string, string> { ["UCX_TLS"] = "tcp,self" }), 180);
        Assert.True(hosts.Code == 0, hosts.Err + hosts.Out);
        long crossed = ReceivedBytes(Namespace(1), a) - before;

        // 20 steps of a 2.6 MB gradient Allreduce went over the link (each step sends at least half of it each way)
        Assert.True(crossed > 20 * 1_300_000L, $"only {crossed} bytes crossed the veth link");
        var x = Checkpoint.Load(one);
        var y = Checkpoint.Load(two);
        Assert.Equal(20, y.State.Step);
        float worst = 0;
        foreach (var (key, t) in x.ModelState)
        {
            var u = y.ModelState[key].Data;
            for (int i = 0; i < u.Length; i++) worst = Math.Max(worst, Math.Abs(t.Data[i] - u[i]));
        }
        Assert.True(worst <= 1e-4f, $"weights differ by {worst} between two hosts and one process");   // the tolerance of DistributedTrainingTests
    }

    // The device's received bytes, read inside its namespace (where its /sys entry is).
    private static long ReceivedBytes(string ns, string device) =>
        long.Parse(Run("ip", "netns", "exec", ns, "cat", $"/sys/class/net/{device}/statistics/rx_bytes").Trim(), CultureInfo.InvariantCulture);

    // Runs a command; returns its output.
    private static string Run(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string c in command.Skip(1)) start.ArgumentList.Add(c);
        using var p = Process.Start(start)!;
        string text = p.StandardOutput.ReadToEnd(), err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{string.Join(' ', command)}: {err}");
        return text;
    }

    private static void Ip(params string[] args) => Run(["ip", .. args]);
}
