using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Elbo.Api;
using Elbo.Evaluation;
using StbImageSharp;
using Xunit.Abstractions;

namespace Elbo.Cli.Tests.Packaging;

/// <summary>The packages scripts/pack.sh writes, used as a user outside the repository uses them: the sample
/// application restored from the feed into a packages folder of its own and run on trained models (its numbers are
/// ElboModel's in this process), the tool installed from the feed with <c>dotnet tool install --tool-path</c> and run;
/// and what the packages hold: assemblies, XML docs, README, LICENSE, the right dependencies.</summary>
public sealed class PackageTests(PackedFeed feed, ITestOutputHelper log) : IClassFixture<PackedFeed>
{
    [Fact]
    public void PackWritesThreePackagesOfTheVersionElboPrints()
    {
        log.WriteLine($"scripts/pack.sh: {feed.PackSeconds:F1} s");
        Assert.Equal(PackedFeed.Ids.Order(), feed.Packages.Keys.Order());
        Assert.All(feed.Packages, p => Assert.Equal(Path.Combine(feed.Feed, $"{p.Key}.{feed.Version}.nupkg"), p.Value));
        // What `elbo --version` prints (in this process the entry assembly is the test host, so ask the CLI's assembly).
        Assert.Equal(feed.Version, typeof(ElboCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
        Assert.Matches(@"^\d+\.\d+\.\d+", feed.Version);
    }

    [Theory]
    [InlineData("Elbo.Engine", "T:Elbo.Engine.Nn.Linear")]
    [InlineData("Elbo", "T:Elbo.Api.ElboModel")]
    public void ALibraryPackageHoldsItsAssemblyXmlDocsReadmeAndLicense(string id, string documented)
    {
        using var package = ZipFile.OpenRead(feed.Packages[id]);
        Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.dll"));
        var docs = XDocument.Parse(Text(package, $"lib/net10.0/{id}.xml"));
        var member = docs.Descendants("member").Single(m => (string?)m.Attribute("name") == documented);
        Assert.False(string.IsNullOrWhiteSpace(member.Element("summary")?.Value), $"{documented} has no summary");
        Assert.True(docs.Descendants("member").Count() > 200, "the XML docs are nearly empty");
        AssertReadmeAndLicense(package, id);
        // Only the library: no CLI, server or test assemblies ride along.
        Assert.Equal([$"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml"], package.Entries.Select(e => e.FullName).Where(n => n.StartsWith("lib/", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public void TheToolPackageIsADotnetToolNamedElboWithReadmeAndLicense()
    {
        using var package = ZipFile.OpenRead(feed.Packages["Elbo.Tool"]);
        var nuspec = NuspecOf(package);
        Assert.Equal("DotnetTool", nuspec.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")?.Value);
        var command = XDocument.Parse(Text(package, "tools/net10.0/any/DotnetToolSettings.xml")).Descendants("Command").Single();
        Assert.Equal(("elbo", "Elbo.Cli.dll"), (command.Attribute("Name")?.Value, command.Attribute("EntryPoint")?.Value));
        foreach (string dll in new[] { "Elbo.Cli.dll", "Elbo.dll", "Elbo.Engine.dll", "Elbo.Server.dll" })
            Assert.NotNull(package.GetEntry($"tools/net10.0/any/{dll}"));
        AssertReadmeAndLicense(package, "Elbo.Tool");
    }

    [Fact]
    public void TheDependencyListsAreTheProjectsReferences()
    {
        // Elbo needs Elbo.Engine at exactly this version and its three readers; the engine needs only its own three; the
        // tool carries everything inside (a dotnet tool may have no dependencies).
        Assert.Equal([("Elbo.Engine", feed.Version), .. References("src/Elbo", "Parquet.Net", "Sep", "StbImageSharp")], Dependencies("Elbo"));
        Assert.Equal(References("src/Elbo.Engine", "Google.Protobuf", "OnnxSharp", "System.Numerics.Tensors"), Dependencies("Elbo.Engine"));
        Assert.Empty(Dependencies("Elbo.Tool"));
        using var package = ZipFile.OpenRead(feed.Packages["Elbo"]);
        var group = NuspecOf(package).Descendants().Single(e => e.Name.LocalName == "group");
        Assert.Equal("net10.0", group.Attribute("targetFramework")?.Value);
    }

    [Fact]
    public void TheSampleRestoredFromTheFeedPrintsElboModelsNumbersForPicturesAndTables()
    {
        string sample = Path.Combine(feed.Work, "sample");
        Directory.CreateDirectory(sample);
        string source = Path.Combine(feed.Root, "samples", "Elbo.Samples.Scoring");
        foreach (string file in new[] { "Elbo.Samples.Scoring.csproj", "Program.cs" })
            File.Copy(Path.Combine(source, file), Path.Combine(sample, file));
        // As the sample's own nuget.config, with the feed's path: the feed added to the machine's sources.
        File.WriteAllText(Path.Combine(sample, "nuget.config"),
            $"""<configuration><packageSources><add key="elbo-feed" value="{feed.Feed}" /></packageSources></configuration>""");
        string packages = Path.Combine(feed.Work, "sample-packages");
        var env = feed.Isolated("sample-packages");
        string version = $"-p:ElboVersion={feed.Version}";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Dotnet(sample, env, "restore", "--packages", packages, version);
        Dotnet(sample, env, "build", "--no-restore", "-c", "Release", "--nologo", "-v", "q", version);
        log.WriteLine($"sample restore and build: {clock.Elapsed.TotalSeconds:F1} s");
        // The package came from the feed, byte for byte.
        string restored = Path.Combine(packages, "elbo", feed.Version.ToLowerInvariant());
        Assert.Contains($"\"source\": \"{feed.Feed}\"", File.ReadAllText(Path.Combine(restored, ".nupkg.metadata")), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(feed.Packages["Elbo"]), File.ReadAllBytes(Directory.GetFiles(restored, "*.nupkg").Single()));

        string program = Path.Combine(sample, "bin", "Release", "net10.0", "Elbo.Samples.Scoring.dll");
        AssertSameText(Examples(ElboModel.Load(feed.ImageRun), 5), Dotnet(sample, null, program, feed.ImageRun, "5"));
        AssertSameText(Rows(ElboModel.Load(feed.TableRun), 4), Dotnet(sample, null, program, feed.TableRun, "4"));
        // The checkpoint's files by path, under other names.
        string elsewhere = Path.Combine(feed.Work, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        File.Copy(Path.Combine(feed.ImageRun, "config.json"), Path.Combine(elsewhere, "settings.json"));
        File.Copy(Path.Combine(feed.ImageRun, "model.safetensors"), Path.Combine(elsewhere, "weights.safetensors"));
        AssertSameText(Examples(ElboModel.Load(feed.ImageRun), 2),
            Dotnet(sample, null, program, Path.Combine(elsewhere, "settings.json"), Path.Combine(elsewhere, "weights.safetensors"), "2"));

        var (code, _, err) = ChildProcess.Run(ChildProcess.Dotnet, [program, Path.Combine(feed.Work, "no-such-run")], sample);
        Assert.Equal(1, code);
        Assert.StartsWith("Elbo.Samples.Scoring: ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void TheToolInstalledFromTheFeedRunsElbo()
    {
        string tools = Path.Combine(feed.Work, "tools");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string installed = Dotnet(feed.Work, feed.Isolated("tool-packages"), "tool", "install", "--tool-path", tools, "--add-source", feed.Feed,
            "Elbo.Tool", "--version", feed.Version);
        log.WriteLine($"dotnet tool install: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Contains($"'elbo.tool' (version '{feed.Version}')", installed, StringComparison.OrdinalIgnoreCase);
        string elbo = Path.Combine(tools, "elbo");

        var (code, output, err) = ChildProcess.Run(elbo, ["--version"], feed.Work);
        Assert.True(code == 0, err);
        Assert.Equal(feed.Version, output.Trim());

        // A real command: the installed elbo decodes the same samples as the elbo in this process.
        string fromTool = Path.Combine(feed.Work, "tool-samples.png"), here = Path.Combine(feed.Work, "in-process-samples.png");
        (code, output, err) = ChildProcess.Run(elbo, ["sample", feed.ImageRun, "--n", "6", "--seed", "4", "--out", fromTool], feed.Work);
        Assert.True(code == 0, err);
        Assert.Equal($"wrote 6 samples to {fromTool}", output.Trim());
        Assert.Equal($"wrote 6 samples to {here}", InProcess("sample", feed.ImageRun, "--n", "6", "--seed", "4", "--out", here).Trim());
        var (tool, own) = (Decode(fromTool), Decode(here));
        Assert.Equal((own.Width, own.Height), (tool.Width, tool.Height));
        Assert.InRange(tool.Data.Zip(own.Data, (a, b) => Math.Abs(a - b)).Max(), 0, 1);   // a pixel may round the other way
        Assert.Contains(tool.Data, v => v is > 0 and < 255);

        // Bad input through the installed tool: one line, exit 2.
        (code, _, err) = ChildProcess.Run(elbo, ["sample", Path.Combine(feed.Work, "no-such-run"), "--out", Path.Combine(feed.Work, "x.png")], feed.Work);
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
    }

    // What the sample prints for a model of pictures, computed here with the library (its region, in the test's words).
    private static string[] Examples(ElboModel model, int n)
    {
        float[,] x = model.Sample(n, seed: 1);
        LatentEncoding q = model.Encode(x);
        float[,] decoded = model.Decode(q.Mu);
        ExampleScores s = model.Score(x, k: 100, seed: 1);
        return [$"model: {model.Model.Kind}, {model.Input}, latent {model.Latent}",
            .. Enumerable.Range(0, n).Select(i => Invariant($"example {i}: mu[0] {q.Mu[i, 0]:F4}, logvar[0] {q.LogVar![i, 0]:F4}, decoded[0] {decoded[i, 0]:F4}, ") +
                Invariant($"-ELBO {s.NegElbo[i]:F4}, -log p(x) {s.NegLogPx![i]:F4}"))];
    }

    // What the sample prints for a model of a table.
    private static string[] Rows(ElboModel model, int n)
    {
        var rows = model.SampleRows(n, seed: 1);
        ExampleScores s = model.Score(rows, k: 100, seed: 1);
        var holed = new Dictionary<string, string?>(rows[0]) { [rows[0].Keys.First()] = null };
        return [$"model: {model.Model.Kind}, {model.Input}, latent {model.Latent}",
            .. Enumerable.Range(0, n).Select(i => Invariant($"row {i}: {string.Join(", ", rows[i].Select(c => $"{c.Key}={c.Value}"))}; {s.ScoreName} {s.Score[i]:F4}")),
            $"row 0 imputed: {string.Join(", ", model.Impute([holed], k: 100, seed: 1)[0].Select(c => $"{c.Key}={c.Value}"))}"];
    }

    // The lines agree in their words and, within 2e-4 (the last printed digit) plus 1e-5 relative, in their numbers:
    // the two processes may sum a GEMM in another order.
    private static void AssertSameText(string[] expected, string actual)
    {
        var lines = actual.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.True(expected.Length == lines.Length, $"expected {expected.Length} lines, got:\n{actual}");
        for (int i = 0; i < lines.Length; i++)
        {
            var (want, got) = (Number.Split(expected[i]), Number.Split(lines[i]));
            Assert.True(want.Length == got.Length, $"line {i}: expected '{expected[i]}', got '{lines[i]}'");
            for (int j = 0; j < want.Length; j++)
            {
                if (j % 2 == 0) Assert.True(want[j] == got[j], $"line {i}: expected '{expected[i]}', got '{lines[i]}'");
                else
                {
                    double a = double.Parse(want[j], CultureInfo.InvariantCulture), b = double.Parse(got[j], CultureInfo.InvariantCulture);
                    Assert.True(Math.Abs(a - b) <= 2e-4 + 1e-5 * Math.Abs(a), $"line {i}: {b} where {a} was expected: '{lines[i]}'");
                }
            }
        }
    }

    private static readonly Regex Number = new(@"(-?\d+(?:\.\d+)?(?:E[-+]?\d+)?)", RegexOptions.Compiled);

    private static string Dotnet(string directory, Dictionary<string, string>? env, params string[] args)
    {
        var (code, output, err) = ChildProcess.Run(ChildProcess.Dotnet, args, directory, env);
        Assert.True(code == 0, $"dotnet {string.Join(' ', args)} failed ({code}):\n{output}\n{err}");
        return output;
    }

    private static string InProcess(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ElboCommand.Run(args, stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        return stdout.ToString();
    }

    private void AssertReadmeAndLicense(ZipArchive package, string id)
    {
        var metadata = NuspecOf(package).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal((id, feed.Version), (Field("id"), Field("version")));
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal(("expression", "MIT"), (license.Attribute("type")?.Value, license.Value));
        Assert.Equal("Copyright (c) 2026 the Elbo authors", Field("copyright"));
        Assert.Equal("README.md", Field("readme"));
        Assert.Matches("^[0-9a-f]{40}$", metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("commit")?.Value ?? "");
        string project = id == "Elbo.Tool" ? "Elbo.Cli" : id;
        Assert.Equal(File.ReadAllText(Path.Combine(feed.Root, "src", project, "README.md")), Text(package, "README.md"));
        string licenseText = Text(package, "LICENSE");
        Assert.Equal(File.ReadAllText(Path.Combine(feed.Root, "LICENSE")), licenseText);
        Assert.StartsWith("MIT License", licenseText, StringComparison.Ordinal);
        Assert.Contains("Copyright (c) 2026 the Elbo authors", licenseText, StringComparison.Ordinal);
    }

    // The (id, version) dependencies of a package, sorted by id.
    private (string Id, string Version)[] Dependencies(string id)
    {
        using var package = ZipFile.OpenRead(feed.Packages[id]);
        return NuspecOf(package).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(d => (d.Attribute("id")!.Value, d.Attribute("version")!.Value)).OrderBy(d => d.Item1, StringComparer.Ordinal).ToArray();
    }

    // The PackageReference versions the project gives the named packages (which must be all it references).
    private (string Id, string Version)[] References(string project, params string[] ids)
    {
        var csproj = XDocument.Load(Directory.GetFiles(Path.Combine(feed.Root, project), "*.csproj").Single());
        var references = csproj.Descendants("PackageReference").Select(r => (r.Attribute("Include")!.Value, r.Attribute("Version")!.Value))
            .OrderBy(r => r.Item1, StringComparer.Ordinal).ToArray();
        Assert.Equal(ids.Order(StringComparer.Ordinal), references.Select(r => r.Item1));
        return references;
    }

    private static XDocument NuspecOf(ZipArchive package) =>
        XDocument.Parse(Text(package, package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/')).FullName));

    private static string Text(ZipArchive package, string entry)
    {
        using var reader = new StreamReader((package.GetEntry(entry) ?? throw new Xunit.Sdk.XunitException($"the package has no {entry}")).Open());
        return reader.ReadToEnd();
    }

    private static ImageResult Decode(string png) => ImageResult.FromMemory(File.ReadAllBytes(png), ColorComponents.Grey);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
