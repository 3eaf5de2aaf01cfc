using Elbo.Data;

namespace Elbo.Tests.Data;

public class ImageFolderTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly string _cache;

    public ImageFolderTests() => _cache = _dir.File("cache");

    public void Dispose() => _dir.Dispose();

    private DatasetSplits Load(string folder, DataOptions? options = null, StringWriter? log = null) =>
        DataSource.Resolve(folder, _cache, log: log, options: options ?? new DataOptions { Images = new ImageFolderOptions { ImageSize = 8 } });

    // Three class folders of pictures in every format and layout the loader must take.
    private string ClassFolders()
    {
        string root = _dir.File("pets");
        ImageFixtures.Png(Path.Combine(root, "cat", "a.png"), 13, 9, 3, (x, y, c) => (byte)(x * 19 + c * 60));          // RGB, odd size
        ImageFixtures.Png(Path.Combine(root, "cat", "b.PNG"), 10, 10, 4, (x, y, c) => c == 3 ? (byte)(y * 25) : (byte)200); // RGBA
        ImageFixtures.Png(Path.Combine(root, "cat", "deeper", "c.png"), 5, 7, 1, (x, y, _) => (byte)(x * 50));           // grey, nested
        ImageFixtures.Jpeg(Path.Combine(root, "dog", "d.jpg"), 16, 12, 3, (x, y, c) => (byte)(y * 20 + c * 10));         // JPEG
        ImageFixtures.Png(Path.Combine(root, "dog", "e.png"), 1, 1, 3, (_, _, c) => (byte)(c * 100));                     // 1×1
        ImageFixtures.Png(Path.Combine(root, "dog", "f.png"), 6, 6, 2, (x, y, c) => c == 1 ? (byte)255 : (byte)90);       // grey+alpha
        ImageFixtures.Jpeg(Path.Combine(root, "emu", "g.jpeg"), 9, 20, 1, (x, y, _) => (byte)(y * 12));                 // grey JPEG
        ImageFixtures.Solid(Path.Combine(root, "emu", "h.png"), 30, 3, 0, 255, 0);
        File.WriteAllText(Path.Combine(root, "emu", "notes.txt"), "not a picture");
        return root;
    }

    [Fact]
    public void ClassFoldersGiveSortedLabelsAndEveryFormatAndSizeBecomesOneShape()
    {
        var splits = Load(ClassFolders(), new DataOptions { Images = new ImageFolderOptions { ImageSize = 8 }, TestFraction = 0.25 });

        Assert.True(splits.IsImageFolder);
        Assert.Equal(["cat", "dog", "emu"], splits.ClassNames);
        Assert.Equal(DataShape.Rgb(8, 8), splits.Shape);
        Assert.Equal(DataKind.Image, splits.Shape.Kind);
        Assert.Equal((6, 2), (splits.Train.Count, splits.Test.Count));
        Assert.True(splits.Train.HasLabels);
        var labels = splits.Train.Labels.ToArray().Concat(splits.Test.Labels.ToArray()).Order();
        Assert.Equal([0, 0, 0, 1, 1, 1, 2, 2], labels);
        Assert.Empty(splits.Skipped);
        Assert.Equal(Dataset.ScaleBy255, splits.Train.Normalization);
    }

    [Fact]
    public void AFlatFolderIsUnlabelledAndItsSeededSplitIsTheSameEveryTime()
    {
        string root = _dir.File("flat");
        for (int i = 0; i < 20; i++) ImageFixtures.Solid(Path.Combine(root, $"p{i:D2}.png"), 4, 4, (byte)(i * 10), 0, 0);

        var a = Load(root);
        var b = Load(root);
        var other = Load(root, new DataOptions { Images = new ImageFolderOptions { ImageSize = 8 }, Seed = 2 });

        Assert.Null(a.ClassNames);
        Assert.False(a.Train.HasLabels);
        Assert.Equal((18, 2), (a.Train.Count, a.Test.Count));             // the default test fraction, 0.1
        Assert.Equal(a.Test.ToArray(), b.Test.ToArray());
        Assert.NotEqual(a.Test.ToArray(), other.Test.ToArray());
        // Train and test are disjoint and together the whole folder: the red channel tells the pictures apart.
        var reds = new[] { a.Train, a.Test }.SelectMany(d => Enumerable.Range(0, d.Count).Select(i => d.Image(i)[0])).Order();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 10 / 255f), reds);
    }

    [Fact]
    public void TrainAndTestSubfoldersAreTheSplit()
    {
        string root = _dir.File("split");
        foreach (var (split, n) in new[] { ("train", 5), ("test", 2) })
            for (int i = 0; i < n; i++)
                ImageFixtures.Solid(Path.Combine(root, split, i % 2 == 0 ? "even" : "odd", $"{i}.png"), 5, 5, 1, 2, 3);

        var splits = Load(root);

        Assert.Equal((5, 2), (splits.Train.Count, splits.Test.Count));
        Assert.Equal(["even", "odd"], splits.ClassNames);
        Assert.Equal([0, 1], splits.Test.Labels.ToArray());
        var e = Assert.Throws<SettingException>(() => Load(root, new DataOptions { TestFraction = 0.2 }));
        Assert.Equal("testFraction", e.Setting);
    }

    [Fact]
    public void PixelsAreScaledBytesInPlanarOrder()
    {
        string root = _dir.File("one");
        ImageFixtures.Solid(Path.Combine(root, "a.png"), 3, 3, 255, 0, 51);
        ImageFixtures.Solid(Path.Combine(root, "b.png"), 3, 3, 255, 0, 51);

        var image = Load(root, new DataOptions { Images = new ImageFolderOptions { ImageSize = 2 } }).Train.Image(0);

        Assert.Equal([1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f, 0.2f, 0.2f, 0.2f, 0.2f], image);
    }

    [Fact]
    public void GreyMakesOneChannel()
    {
        var splits = Load(ClassFolders(), new DataOptions { Images = new ImageFolderOptions { ImageSize = 4, Color = ImageColor.Grey } });
        Assert.Equal(DataShape.Grey(4, 4), splits.Shape);
    }

    [Fact]
    public void CorruptAndHugePicturesAreSkippedAndListedWithTheirReason()
    {
        string root = ClassFolders();
        ImageFixtures.Corrupt(Path.Combine(root, "dog", "broken.png"));
        File.WriteAllText(Path.Combine(root, "cat", "text.jpg"), "hello");
        ImageFixtures.HugeHeader(Path.Combine(root, "emu", "huge.png"), 9000, 9000);
        ImageFixtures.HugeHeader(Path.Combine(root, "emu", "huger.png"), 20000, 20000);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var splits = Load(root);

        Assert.Equal(8, splits.Train.Count + splits.Test.Count);
        Assert.Equal(["cat/text.jpg", "dog/broken.png", "emu/huge.png", "emu/huger.png"], splits.Skipped.Select(s => s.RelativePath).Order());
        Assert.Equal("9000×9000 pixels is more than the limit of 67,108,864 (8192×8192; refused without decoding)",
            splits.Skipped.Single(s => s.RelativePath == "emu/huge.png").Reason);
        Assert.Contains("more than stb's 1 GB of pixels", splits.Skipped.Single(s => s.RelativePath == "emu/huger.png").Reason);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 200_000_000, "the huge picture was refused without allocating its pixels");
    }

    [Fact]
    public void AFolderWhereNothingDecodesIsADataErrorNamingTheFirstFailure()
    {
        string root = _dir.File("bad");
        ImageFixtures.Corrupt(Path.Combine(root, "a.png"));
        ImageFixtures.Corrupt(Path.Combine(root, "b.gif"));

        var e = Assert.Throws<DataFormatException>(() => Load(root));

        Assert.StartsWith($"{root}: none of its 2 pictures could be decoded (first: a.png: ", e.Message);
    }

    [Fact]
    public void AFolderWithoutPicturesOrIdxFilesIsNotFound()
    {
        string root = _dir.File("empty");
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.WriteAllText(Path.Combine(root, "readme.txt"), "");

        var e = Assert.Throws<DataNotFoundException>(() => Load(root));

        Assert.Equal($"data folder {root} holds no pictures (.png, .jpg, .jpeg, .bmp, .gif) and no IDX files", e.Message);
    }

    [Fact]
    public void OnePictureCannotBeSplit()
    {
        string root = _dir.File("single");
        ImageFixtures.Solid(Path.Combine(root, "a.png"), 3, 3, 1, 2, 3);

        var e = Assert.Throws<DataFormatException>(() => Load(root));

        Assert.Contains("at least two", e.Message);
    }

    [Fact]
    public void TheSecondLoadReadsTheCacheAndAChangedFileDecodesAgain()
    {
        string root = ClassFolders();
        var first = new StringWriter();
        var a = Load(root, log: first);
        var second = new StringWriter();
        var b = Load(root, log: second);

        Assert.Contains("images: decoding 8 pictures", first.ToString());
        Assert.Contains("cached in", first.ToString());
        Assert.Contains("is an image folder: 8 pictures, 3 class folders (cat, dog, emu)", first.ToString());
        Assert.Contains("8 pictures read from the cache", second.ToString());
        Assert.DoesNotContain("decoding", second.ToString());
        Assert.Equal(a.Train.ToArray(), b.Train.ToArray());
        Assert.Single(Directory.GetFiles(_cache));

        File.SetLastWriteTimeUtc(Path.Combine(root, "dog", "e.png"), DateTime.UtcNow.AddMinutes(-5));
        var third = new StringWriter();
        Load(root, log: third);
        Assert.Contains("decoding", third.ToString());
        // Other preprocessing is another cache file too.
        var fourth = new StringWriter();
        Load(root, new DataOptions { Images = new ImageFolderOptions { ImageSize = 8, Background = ImageBackground.White } }, fourth);
        Assert.Contains("decoding", fourth.ToString());
    }

    [Fact]
    public void ACorruptCacheFileIsAMissNotAnError()
    {
        string root = ClassFolders();
        var a = Load(root);
        string file = Directory.GetFiles(_cache).Single();
        using (var s = new FileStream(file, FileMode.Open)) s.SetLength(s.Length - 5);

        var log = new StringWriter();
        var b = Load(root, log: log);

        Assert.Contains("decoding", log.ToString());
        Assert.Equal(a.Test.ToArray(), b.Test.ToArray());
    }

    [Fact]
    public void LimitTakesASeededChoice()
    {
        string root = _dir.File("many");
        for (int i = 0; i < 30; i++) ImageFixtures.Solid(Path.Combine(root, $"p{i:D2}.png"), 2, 2, (byte)i, 0, 0);
        var options = new DataOptions { Images = new ImageFolderOptions { ImageSize = 2 }, Limit = 10 };

        var a = Load(root, options);
        var b = Load(root, options);

        Assert.Equal(10, a.Train.Count + a.Test.Count);
        Assert.Equal(a.Train.ToArray(), b.Train.ToArray());
        Assert.NotEqual(Enumerable.Range(0, 9).Select(i => i / 255f), a.Train.ToArray().Where((_, k) => k % 12 == 0));
    }

    [Fact]
    public void ASymlinkLoopIsSkippedAndNoted()
    {
        string root = ClassFolders();
        Directory.CreateSymbolicLink(Path.Combine(root, "cat", "loop"), root);
        File.CreateSymbolicLink(Path.Combine(root, "dog", "self.png"), Path.Combine(root, "dog", "self.png"));
        var log = new StringWriter();

        var splits = Load(root, log: log);

        Assert.Equal(8, splits.Train.Count + splits.Test.Count);
        Assert.Contains("skipped cat/loop/: it leads back to a folder already read", log.ToString());
        Assert.Equal(["dog/self.png"], splits.Skipped.Select(s => s.RelativePath));
    }

    [Fact]
    public void ImageSettingsAreRefusedForIdxData()
    {
        string idx = _dir.File("idx");
        IdxFixtures.WriteDataset(idx);

        var e = Assert.Throws<SettingException>(() => DataSource.Resolve(idx, options: new DataOptions { Images = new ImageFolderOptions { ImageSize = 32 } }));
        Assert.Equal("imageSize", e.Setting);
        var f = Assert.Throws<SettingException>(() => DataSource.Resolve(RingData.Name, options: new DataOptions { Limit = 5 }));
        Assert.Equal("limit", f.Setting);
    }

    [Fact]
    public void IdxFoldersAreStillIdxAndSaySo()
    {
        string idx = _dir.File("idx");
        IdxFixtures.WriteDataset(idx);
        var log = new StringWriter();

        var splits = DataSource.Resolve(idx, log: log);

        Assert.False(splits.IsImageFolder);
        Assert.Contains($"data: {idx} is an IDX folder", log.ToString());
    }
}
