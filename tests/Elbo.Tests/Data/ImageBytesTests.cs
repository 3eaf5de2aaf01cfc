using Elbo.Data;

namespace Elbo.Tests.Data;

public class ImageBytesTests
{
    [Fact]
    public void ExamplesAreSpreadOverChunksWithoutStraddlingOne()
    {
        var bytes = new ImageBytes(count: 7, features: 3, maxChunkBytes: 7);   // two examples per chunk
        for (int i = 0; i < 7; i++) bytes[i].Fill((byte)(i + 1));

        Assert.Equal(2, bytes.ExamplesPerChunk);
        Assert.Equal([6, 6, 6, 3], bytes.Chunks.Select(c => c.Length));
        for (int i = 0; i < 7; i++) Assert.Equal(Enumerable.Repeat((byte)(i + 1), 3), bytes[i].ToArray());
    }

    [Fact]
    public void ADatasetOverRowsOfSharedBytesScalesBy255()
    {
        var bytes = new ImageBytes(count: 3, features: 4, maxChunkBytes: 8);
        for (int i = 0; i < 3; i++) bytes[i].Fill((byte)(51 * i));

        var data = Dataset.FromBytes("d", bytes, [2, 0], [7, 8], DataShape.Grey(2, 2));

        Assert.Equal(2, data.Count);
        Assert.Equal([0.4f, 0.4f, 0.4f, 0.4f, 0f, 0f, 0f, 0f], data.ToArray());
        Assert.Equal([7, 8], data.Labels.ToArray());
        Assert.Throws<ArgumentException>(() => Dataset.FromBytes("d", bytes, [3], null, DataShape.Grey(2, 2)));
        Assert.Throws<ArgumentException>(() => Dataset.FromBytes("d", bytes, null, null, DataShape.Rgb(2, 2)));
    }
}
