using System.Security.Cryptography;
using Elbo.Data;

namespace Elbo.Tests.Data;

// Every download here goes to a server on 127.0.0.1; none touches the internet.
public class MnistDownloadTests
{
    private static readonly string[] GzNames = IdxFolder.FileNames.Select(n => n + ".gz").ToArray();

    private static Dictionary<string, byte[]> GzFiles() =>
        IdxFixtures.DatasetFiles(train: 6, test: 4, rows: 3, cols: 3).ToDictionary(f => f.Name + ".gz", f => IdxFixtures.Gzip(f.Bytes));

    private static Dictionary<string, string> Md5Of(Dictionary<string, byte[]> files) =>
        files.ToDictionary(f => f.Key, f => Convert.ToHexStringLower(MD5.HashData(f.Value)));

    [Fact]
    public void AMissingFileIsFetchedFromTheNextMirrorWhenTheFirstAnswers404AndTheCacheIsReusedAfterwards()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempFolder();
        using var http = new HttpClient();
        var files = GzFiles();
        foreach (var (name, bytes) in files) server.Serve("/b/" + name, bytes);
        var mirrors = new MnistMirrors([server.BaseUrl + "a/", server.BaseUrl + "b"], Md5Of(files));
        var log = new StringWriter();

        DatasetSplits splits = DataSource.Resolve("mnist", cache.Path, http, log, mirrors);

        Assert.Equal(("mnist", 6, 4), (splits.Name, splits.Train.Count, splits.Test.Count));
        foreach (string name in GzNames)
        {
            Assert.Equal(1, server.Requests("/a/" + name));
            Assert.Equal(1, server.Requests("/b/" + name));
            Assert.Equal(files[name], File.ReadAllBytes(cache.File(name)));
        }
        Assert.Equal(GzNames.Order(), Directory.GetFiles(cache.Path).Select(Path.GetFileName).Order());
        Assert.Contains($"mnist: downloading {server.BaseUrl}b/train-images-idx3-ubyte.gz", log.ToString());
        Assert.Contains("HTTP 404", log.ToString());

        DatasetSplits again = DataSource.Resolve("mnist", cache.Path, http, log, mirrors);

        Assert.Equal(8, server.TotalRequests);
        Assert.Equal(splits.Train.ToArray(), again.Train.ToArray());
    }

    [Fact]
    public void OnlyTheFilesMissingFromTheCacheAreDownloaded()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempFolder();
        using var http = new HttpClient();
        var files = GzFiles();
        foreach (var (name, bytes) in files) server.Serve("/m/" + name, bytes);
        File.WriteAllBytes(cache.File("train-images-idx3-ubyte.gz"), files["train-images-idx3-ubyte.gz"]);
        File.WriteAllBytes(cache.File("t10k-labels-idx1-ubyte"), IdxFixtures.Labels(4)); // a raw copy counts too

        DataSource.Resolve("mnist", cache.Path, http, null, new MnistMirrors([server.BaseUrl + "m/"]));

        Assert.Equal(2, server.TotalRequests);
        Assert.Equal(1, server.Requests("/m/train-labels-idx1-ubyte.gz"));
        Assert.Equal(1, server.Requests("/m/t10k-images-idx3-ubyte.gz"));
    }

    [Fact]
    public void AMirrorServingAFileThatIsNotIdxIsSkippedAndNothingBadIsCached()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempFolder();
        using var http = new HttpClient();
        var files = GzFiles();
        foreach (var (name, bytes) in files)
        {
            server.Serve("/bad/" + name, "<html>not found</html>"u8.ToArray());
            server.Serve("/good/" + name, bytes);
        }

        DatasetSplits splits = DataSource.Resolve("mnist", cache.Path, http, null,
            new MnistMirrors([server.BaseUrl + "bad/", server.BaseUrl + "good/"]));

        Assert.Equal(6, splits.Train.Count);
        Assert.Equal(8, server.TotalRequests);
        foreach (string name in GzNames) Assert.Equal(files[name], File.ReadAllBytes(cache.File(name)));
    }

    [Fact]
    public void WhenEveryMirrorFailsTheErrorNamesEachFailureAndSuggestsDataPath()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempFolder();
        using var http = new HttpClient();
        var files = GzFiles();
        foreach (var (name, bytes) in files) server.Serve("/wrong/" + name, bytes);
        var md5 = Md5Of(files).ToDictionary(kv => kv.Key, _ => "00000000000000000000000000000000");
        string refused = $"http://127.0.0.1:{LocalHttpServer.FreePort()}/";
        var mirrors = new MnistMirrors([server.BaseUrl + "missing/", server.BaseUrl + "wrong/", refused], md5);

        var e = Assert.Throws<DataNotFoundException>(() => DataSource.Resolve("mnist", cache.Path, http, null, mirrors));

        Assert.StartsWith("could not download MNIST train-images-idx3-ubyte.gz: ", e.Message);
        Assert.Contains($"{server.BaseUrl}missing/train-images-idx3-ubyte.gz: HTTP 404", e.Message);
        Assert.Contains($"{server.BaseUrl}wrong/train-images-idx3-ubyte.gz: MD5 ", e.Message);
        Assert.Contains("differs from the published 00000000000000000000000000000000", e.Message);
        Assert.Contains($"{refused}train-images-idx3-ubyte.gz: ", e.Message);
        Assert.EndsWith("or pass --data PATH to a folder of IDX files", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(Directory.GetFiles(cache.Path));
    }

    [Fact]
    public void TheCanonicalMirrorsAreTorchvisionsWithItsPublishedChecksums()
    {
        Assert.Equal(["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"],
            MnistMirrors.Canonical.BaseUrls);
        Assert.Equal(GzNames.Order(), MnistMirrors.Canonical.Md5!.Keys.Order());
    }

    [Theory]
    [InlineData("/xdg", "/home/u", "/xdg/elbo/mnist")]
    [InlineData(null, "/home/u", "/home/u/.cache/elbo/mnist")]
    [InlineData("", "/home/u", "/home/u/.cache/elbo/mnist")]
    [InlineData("relative/cache", "/home/u", "/home/u/.cache/elbo/mnist")]
    public void TheCacheIsUnderXdgCacheHomeWhenItIsAnAbsolutePathElseUnderDotCache(string? xdg, string home, string expected)
    {
        Assert.Equal(expected, DataSource.MnistCacheDirectory(xdg, home));
    }
}
