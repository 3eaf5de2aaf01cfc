using System.Diagnostics;
using System.Globalization;
using Elbo.Tests.Data;

namespace Elbo.Cli.Tests.Packaging;

/// <summary>The packages as a user makes them: <c>scripts/pack.sh --out FEED</c> into a temporary folder (the feed),
/// once for the package tests, with two small trained runs to use them on (an MLP VAE on 8×8 IDX pictures and one on
/// a table). Everything restored from the feed goes into a NuGet packages folder of its own (<see cref="Isolated"/>),
/// never the machine's <c>~/.nuget/packages</c>, where a package of the same version packed earlier would hide a broken
/// pack.</summary>
public sealed class PackedFeed : IDisposable
{
    /// <summary>The package ids scripts/pack.sh writes.</summary>
    public static readonly string[] Ids = ["Elbo.Engine", "Elbo", "Elbo.Tool"];

    public PackedFeed()
    {
        Root = Repository.Root;
        Work = Directory.CreateTempSubdirectory("elbo-package").FullName;
        Feed = Path.Combine(Work, "feed");
        var clock = Stopwatch.StartNew();
        // pack.sh builds in the repository (up to date after the solution's build: nothing is rebuilt) and restores into
        // the machine's packages folder, as a user's pack does; only what is restored *from* the feed is isolated.
        var (code, output, err) = ChildProcess.Run("bash", [Path.Combine(Root, "scripts", "pack.sh"), "--out", Feed], Root,
            timeout: TimeSpan.FromMinutes(10));
        Assert.True(code == 0, $"scripts/pack.sh failed ({code}):\n{output}\n{err}");
        PackSeconds = clock.Elapsed.TotalSeconds;
        Packages = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(path => Ids.Single(id => Path.GetFileName(path).StartsWith(id + ".", StringComparison.Ordinal) &&
                char.IsAsciiDigit(Path.GetFileName(path)[id.Length + 1])));
        string elbo = Path.GetFileNameWithoutExtension(Packages["Elbo"]);
        Version = elbo["Elbo.".Length..];

        string pictures = Path.Combine(Work, "pictures");
        IdxFixtures.WriteDataset(pictures, train: 40, test: 12, rows: 8, cols: 8);
        ImageRun = Train(Path.Combine(Work, "image-run"), "--data", pictures, "--latent", "3", "--hidden", "16", "--epochs", "2");
        TableRun = Train(Path.Combine(Work, "table-run"), "--data", TableFile(Path.Combine(Work, "table.csv")), "--latent", "2", "--hidden", "16",
            "--epochs", "10");
    }

    /// <summary>The repository's root folder (where Elbo.sln is).</summary>
    public string Root { get; }

    /// <summary>The temporary folder of the tests, deleted afterwards.</summary>
    public string Work { get; }

    /// <summary>The folder the packages were packed into: a local NuGet feed.</summary>
    public string Feed { get; }

    /// <summary>The path of each package, by id.</summary>
    public IReadOnlyDictionary<string, string> Packages { get; }

    /// <summary>The packages' version (that of Directory.Build.props).</summary>
    public string Version { get; }

    /// <summary>How long scripts/pack.sh took.</summary>
    public double PackSeconds { get; }

    /// <summary>A trained run of an MLP VAE on 8×8 pictures.</summary>
    public string ImageRun { get; }

    /// <summary>A trained run of an MLP VAE on a table with a numeric, a categorical and a boolean column and missing
    /// cells.</summary>
    public string TableRun { get; }

    /// <summary>The environment for a child that restores from the feed: a NuGet packages folder of its own,
    /// <paramref name="name"/>, under <see cref="Work"/>.</summary>
    public Dictionary<string, string> Isolated(string name) => new() { ["NUGET_PACKAGES"] = Path.Combine(Work, name) };

    public void Dispose()
    {
        try { Directory.Delete(Work, recursive: true); } catch (IOException) { }
    }

    private static string Train(string run, params string[] options)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ElboCommand.Run(["train", "--out", run, "--batch-size", "16", "--lr", "0.01", "--no-report", .. options], stdout, stderr);
        Assert.True(code == 0, $"training {run} failed: {stderr}");
        return run;
    }

    // 80 rows: a numeric x (missing in every tenth row), y ≈ 2x, x's sign as a category and a yes/no flag.
    private static string TableFile(string path)
    {
        var rng = new Random(5);
        var lines = new List<string> { "x,y,side,flag" };
        for (int i = 0; i < 80; i++)
        {
            double x = rng.NextDouble() * 4 - 2, y = 2 * x + 0.1 * (rng.NextDouble() - 0.5);
            string xs = i % 10 == 4 ? "" : x.ToString("F3", CultureInfo.InvariantCulture);
            lines.Add($"{xs},{y.ToString("F3", CultureInfo.InvariantCulture)},{(x > 0 ? "right" : "left")},{(i % 3 == 0 ? "yes" : "no")}");
        }
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }
}
