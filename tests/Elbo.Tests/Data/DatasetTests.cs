using Elbo.Data;

namespace Elbo.Tests.Data;

public class DatasetTests
{
    [Fact]
    public void IdxPixelsAreScaledTo01AndStoredContiguously()
    {
        using var dir = new TempFolder();
        byte[] pixels = [0, 255, 51, 102, 1, 254];
        File.WriteAllBytes(dir.File("img"), IdxFixtures.Idx([3, 1, 2], pixels));
        File.WriteAllBytes(dir.File("lab"), IdxFixtures.Idx([3], [7, 0, 9]));

        var data = Dataset.FromIdx("tiny", dir.File("img"), dir.File("lab"));

        Assert.Equal((3, 1, 1, 2, 2), (data.Count, data.Channels, data.Height, data.Width, data.Features));
        Assert.Equal(pixels.Select(b => b / 255f), data.ToArray());
        Assert.Equal([0.2f, 0.4f], data.Image(1));
        Assert.Equal([7, 0, 9], data.Labels.ToArray());
        Assert.True(data.HasLabels);
        Assert.Equal("scale 1/255", data.Normalization);
        Assert.Equal("tiny", data.Name);
    }

    [Fact]
    public void WithoutALabelsFileEveryLabelIsMinusOne()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("img"), IdxFixtures.Images(4, 2, 2));

        var data = Dataset.FromIdx("unlabelled", dir.File("img"), null);

        Assert.False(data.HasLabels);
        Assert.Equal([-1, -1, -1, -1], data.Labels.ToArray());
    }

    [Fact]
    public void ImageAndLabelCountsMustAgree()
    {
        using var dir = new TempFolder();
        string labels = dir.File("train-labels-idx1-ubyte");
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), IdxFixtures.Images(5, 2, 2));
        File.WriteAllBytes(labels, IdxFixtures.Labels(4));

        var e = Assert.Throws<DataFormatException>(() => Dataset.FromIdx("x", dir.File("train-images-idx3-ubyte"), labels));

        Assert.Equal($"{labels}: 4 labels for the 5 images of train-images-idx3-ubyte", e.Message);
    }

    [Fact]
    public void AnImagesFileWithNoImagesIsRejected()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("img"), IdxFixtures.Idx([0, 28, 28], []));

        var e = Assert.Throws<DataFormatException>(() => Dataset.FromIdx("x", dir.File("img"), null));

        Assert.Contains("holds no images", e.Message);
    }

    [Fact]
    public void TheConstructorRejectsPixelsThatAreNotWholeImages()
    {
        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[10], null, DataShape.Grey(2, 2), "none"));
        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[8], [1, 2, 3], DataShape.Grey(2, 2), "none"));
    }
}
