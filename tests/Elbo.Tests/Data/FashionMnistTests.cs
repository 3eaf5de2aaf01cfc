using Elbo.Data;

namespace Elbo.Tests.Data;

// Every test that reads or sets ELBO_FASHION_MNIST_DIR lives in this class, so they never run at the same time.
public class FashionMnistTests
{
    [Fact]
    public void FashionMnistIsReadFromTheFolderTheEnvironmentNames()
    {
        using var dir = new TempFolder();
        IdxFixtures.WriteDataset(dir.Path, train: 5, test: 2);
        using var _ = new EnvironmentVariable(DataSource.FashionMnistDirectoryVariable, dir.Path);

        DatasetSplits splits = DataSource.Resolve("fashion-mnist");

        Assert.Equal("fashion-mnist", splits.Name);
        Assert.Equal(dir.Path, splits.Directory);
        Assert.Equal((5, 2), (splits.Train.Count, splits.Test.Count));
        Assert.Equal("fashion-mnist/train", splits.Train.Name);
    }

    [Fact]
    public void WithoutTheFolderTheMessageSaysHowToInstallIt()
    {
        using var dir = new TempFolder();
        using var _ = new EnvironmentVariable(DataSource.FashionMnistDirectoryVariable, dir.File("absent"));

        var e = Assert.Throws<DataNotFoundException>(() => DataSource.Resolve("fashion-mnist"));

        Assert.Equal(
            "Fashion-MNIST is not installed: run `apt-get install dataset-fashion-mnist` (or pass --data PATH to a folder of IDX files)",
            e.Message);
    }

    [Fact]
    public void AFolderWithSomeFilesMissingAlsoSaysHowToInstallIt()
    {
        using var dir = new TempFolder();
        IdxFixtures.WriteDataset(dir.Path);
        File.Delete(dir.File("t10k-labels-idx1-ubyte.gz"));
        using var _ = new EnvironmentVariable(DataSource.FashionMnistDirectoryVariable, dir.Path);

        var e = Assert.Throws<DataNotFoundException>(() => DataSource.Resolve("fashion-mnist"));

        Assert.StartsWith(DataSource.FashionMnistMissingMessage, e.Message);
        Assert.EndsWith("lacks t10k-labels-idx1-ubyte", e.Message);
    }

    [Fact]
    public void WithoutTheOverrideTheDebianFolderIsUsed()
    {
        using var _ = new EnvironmentVariable(DataSource.FashionMnistDirectoryVariable, null);

        Assert.Equal("/usr/share/datasets/fashion-mnist", DataSource.FashionMnistDirectory());
    }

    [Fact]
    public void TheInstalledDebianPackageLoadsAs60000And10000ImagesOf28By28()
    {
        if (!Directory.Exists(DataSource.DebianFashionMnistDirectory)) return; // only where dataset-fashion-mnist is installed
        using var _ = new EnvironmentVariable(DataSource.FashionMnistDirectoryVariable, null);

        DatasetSplits splits = DataSource.Resolve("fashion-mnist");

        Assert.Equal((60000, 10000), (splits.Train.Count, splits.Test.Count));
        Assert.Equal(DataShape.Grey(28, 28), splits.Shape);
        Assert.Equal(DataKind.Image, splits.Shape.Kind);
        foreach (Dataset split in new[] { splits.Train, splits.Test })
        {
            float min = float.MaxValue, max = float.MinValue;
            foreach (float p in split.ToArray()) { min = Math.Min(min, p); max = Math.Max(max, p); }
            Assert.Equal((0f, 1f), (min, max));
            Assert.Equal(Enumerable.Range(0, 10), split.Labels.ToArray().Distinct().Order());
        }
    }

    private sealed class EnvironmentVariable : IDisposable
    {
        private readonly string _name;
        private readonly string? _previous;

        public EnvironmentVariable(string name, string? value)
        {
            _name = name;
            _previous = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, _previous);
    }
}
