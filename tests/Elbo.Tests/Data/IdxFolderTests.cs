using Elbo.Data;

namespace Elbo.Tests.Data;

public class IdxFolderTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AFolderOfFourIdxFilesLoadsAsTrainAndTestSplits(bool gzip)
    {
        using var dir = new TempFolder();
        IdxFixtures.WriteDataset(dir.Path, train: 7, test: 3, rows: 4, cols: 5, gzip: gzip);

        DatasetSplits splits = DataSource.Resolve(dir.Path);

        Assert.Equal(Path.GetFileName(dir.Path), splits.Name);
        Assert.Equal(dir.Path, splits.Directory);
        Assert.Equal((7, 3), (splits.Train.Count, splits.Test.Count));
        Assert.Equal(DataShape.Grey(4, 5), splits.Shape);
        Assert.Equal(DataKind.Image, splits.Shape.Kind);
        Assert.Equal(IdxFixtures.Pixels(3, 20, salt: 100).Select(b => b / 255f), splits.Test.ToArray());
        Assert.Equal([0, 1, 2], splits.Test.Labels.ToArray());
        Assert.EndsWith("/train", splits.Train.Name);
    }

    [Fact]
    public void TheDottedFileNamesOfSomeCopiesAreAcceptedToo()
    {
        using var dir = new TempFolder();
        foreach (var (name, bytes) in IdxFixtures.DatasetFiles())
            File.WriteAllBytes(dir.File(name.Replace("-idx", ".idx")), bytes);

        Assert.Equal(7, IdxFolder.Load("dotted", dir.Path).Train.Count);
    }

    [Fact]
    public void MissingFilesAreListedInOneLine()
    {
        using var dir = new TempFolder();
        IdxFixtures.WriteDataset(dir.Path);
        File.Delete(dir.File("train-labels-idx1-ubyte.gz"));
        File.Delete(dir.File("t10k-images-idx3-ubyte.gz"));

        var e = Assert.Throws<DataNotFoundException>(() => DataSource.Resolve(dir.Path));

        Assert.Equal(
            $"data folder {dir.Path} is missing train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] (it needs the four MNIST-style IDX files)",
            e.Message);
    }

    [Fact]
    public void AMissingFolderIsDataNotFound()
    {
        using var dir = new TempFolder();
        string missing = dir.File("no-such-folder");

        var e = Assert.Throws<DataNotFoundException>(() => DataSource.Resolve(missing));

        Assert.StartsWith($"data folder {missing} does not exist", e.Message);
    }

    [Fact]
    public void AFileGivenInsteadOfTheFolderIsNamedAsSuch()
    {
        using var dir = new TempFolder();
        IdxFixtures.WriteDataset(dir.Path);
        string file = dir.File("train-images-idx3-ubyte.gz");

        var e = Assert.Throws<DataNotFoundException>(() => DataSource.Resolve(file));

        Assert.Equal($"data folder {file} is a file: give the folder that holds the four IDX files", e.Message);
    }

    [Fact]
    public void TestImagesOfAnotherSizeThanTheTrainingImagesAreRejected()
    {
        using var dir = new TempFolder();
        IdxFixtures.WriteDataset(dir.Path, rows: 4, cols: 5, gzip: false);
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte"), IdxFixtures.Images(3, 5, 4));

        var e = Assert.Throws<DataFormatException>(() => IdxFolder.Load("x", dir.Path));

        Assert.Equal(dir.File("t10k-images-idx3-ubyte"), e.FilePath);
        Assert.Contains("test images are 5 × 4 but the training images", e.Message);
    }

    [Fact]
    public void ACorruptFileInTheFolderIsNamedInTheError()
    {
        using var dir = new TempFolder();
        IdxFixtures.WriteDataset(dir.Path, gzip: false);
        string labels = dir.File("t10k-labels-idx1-ubyte");
        File.WriteAllBytes(labels, File.ReadAllBytes(labels)[..^1]);

        var e = Assert.Throws<DataFormatException>(() => DataSource.Resolve(dir.Path));

        Assert.Equal($"{labels}: truncated: expected 11 bytes of label data (3), found 10", e.Message);
    }
}
