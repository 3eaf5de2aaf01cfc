using Elbo.Data;

namespace Elbo.Tests.Data;

public class BatchIteratorTests
{
    /// <summary>n images of 1×2×3 whose pixels all equal index/1000, labelled with their index.</summary>
    private static Dataset Numbered(int n)
    {
        var pixels = new float[n * 6];
        for (int i = 0; i < n; i++) pixels.AsSpan(i * 6, 6).Fill(i / 1000f);
        return new Dataset("numbered", pixels, Enumerable.Range(0, n).ToArray(), DataShape.Grey(2, 3), "none");
    }

    private static List<int[]> EpochLabels(BatchIterator it, int epoch)
    {
        var batches = new List<int[]>();
        foreach (Batch b in it.Batches(epoch)) batches.Add((int[])b.Labels.Clone());
        return batches;
    }

    [Fact]
    public void EachEpochVisitsEveryImageExactlyOnceWithItsOwnPixelsAndLabel()
    {
        var data = Numbered(23);
        var it = new BatchIterator(data, batchSize: 5, seed: 42);

        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            foreach (Batch batch in it.Batches(epoch))
            {
                for (int k = 0; k < batch.Size; k++)
                {
                    int label = batch.Labels[k];
                    seen.Add(label);
                    Assert.All(batch.Images.Data.Slice(k * 6, 6).ToArray(), p => Assert.Equal(label / 1000f, p));
                }
            }
            Assert.Equal(Enumerable.Range(0, 23), seen.Order());
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameOrderAndEpochsAndSeedsDiffer()
    {
        var data = Numbered(50);
        var a = new BatchIterator(data, 8, seed: 7);
        var b = new BatchIterator(data, 8, seed: 7);
        var other = new BatchIterator(data, 8, seed: 8);

        var a0 = EpochLabels(a, 0).SelectMany(x => x).ToArray();
        var a1 = EpochLabels(a, 1).SelectMany(x => x).ToArray();

        Assert.Equal(a0, EpochLabels(b, 0).SelectMany(x => x));
        Assert.Equal(a1, EpochLabels(b, 1).SelectMany(x => x));
        Assert.NotEqual(a0, a1);
        Assert.NotEqual(a0, EpochLabels(other, 0).SelectMany(x => x));
        Assert.NotEqual(Enumerable.Range(0, 50), a0);
    }

    [Fact]
    public void AResumedRunReproducesTheRemainingBatchesFromTheEpochNumberAlone()
    {
        var data = Numbered(40);
        var original = new BatchIterator(data, 6, seed: 123);
        original.Batches(0).GetEnumerator().MoveNext(); // the original run has been through other epochs first
        var expected = EpochLabels(original, 4).Skip(3).ToList();

        var resumed = new BatchIterator(data, 6, seed: 123);
        var actual = new List<int[]>();
        foreach (Batch batch in resumed.Batches(4, firstBatch: 3))
        {
            Assert.Equal(actual.Count + 3, batch.Index);
            actual.Add((int[])batch.Labels.Clone());
        }

        Assert.Equal(expected, actual);
        Assert.Equal(4, resumed.Epoch);
    }

    [Fact]
    public void TheEpochOrderComesFromAGeneratorSeededWithSeedTimes1000003PlusEpoch()
    {
        var it = new BatchIterator(Numbered(30), 4, seed: 9);
        it.StartEpoch(2);
        var expected = Enumerable.Range(0, 30).ToArray();
        new Generator(9 * 1000003UL + 2).Shuffle(expected);

        Assert.Equal(9 * 1000003UL + 2, BatchIterator.EpochSeed(9, 2));
        Assert.Equal(expected, it.Order.ToArray());
    }

    [Fact]
    public void WithoutShufflingBatchesFollowTheDatasetOrder()
    {
        var it = new BatchIterator(Numbered(10), 4, seed: 1, shuffle: false);

        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]], EpochLabels(it, 3));
    }

    [Theory]
    [InlineData(BatchLayout.Images, new[] { 4, 1, 2, 3 }, new[] { 2, 1, 2, 3 })]
    [InlineData(BatchLayout.Flat, new[] { 4, 6 }, new[] { 2, 6 })]
    public void TheLastBatchIsSmallerWithATensorOfItsOwnShape(BatchLayout layout, int[] full, int[] last)
    {
        var it = new BatchIterator(Numbered(10), 4, seed: 3, layout: layout);
        var shapes = new List<int[]>();
        var sizes = new List<int>();
        foreach (Batch batch in it.Batches(0))
        {
            shapes.Add(batch.Images.ShapeArray());
            sizes.Add(batch.Size);
        }

        Assert.Equal(3, it.BatchCount);
        Assert.Equal([full, full, last], shapes);
        Assert.Equal([4, 4, 2], sizes);
    }

    [Fact]
    public void DropLastLeavesOutTheIncompleteBatch()
    {
        var it = new BatchIterator(Numbered(10), 4, seed: 3, dropLast: true);

        var batches = EpochLabels(it, 0);

        Assert.Equal(2, it.BatchCount);
        Assert.All(batches, b => Assert.Equal(4, b.Length));
        Assert.Equal(8, batches.SelectMany(b => b).Distinct().Count());
    }

    [Fact]
    public void ABatchLargerThanTheDatasetIsOneSmallBatch()
    {
        var it = new BatchIterator(Numbered(3), 8, seed: 3, layout: BatchLayout.Flat);

        var batches = EpochLabels(it, 0);

        Assert.Single(batches);
        Assert.Equal([0, 1, 2], batches[0].Order());
        Assert.Throws<ArgumentException>(() => new BatchIterator(Numbered(3), 8, seed: 3, dropLast: true));
    }

    [Fact]
    public void BatchesReuseTheirTensorsSoAnEpochAllocatesNothing()
    {
        var it = new BatchIterator(Numbered(103), 10, seed: 5);
        Tensor? full = null, last = null;
        float sum = 0;
        foreach (Batch batch in it.Batches(0))
        {
            if (batch.Size == 10) full ??= batch.Images; else last = batch.Images;
            sum += batch.Images.Data[0];
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (Batch batch in it.Batches(1))
        {
            Assert.Same(batch.Size == 10 ? full : last, batch.Images);
            sum += batch.Images.Data[0] + batch.Labels[0];
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    [Fact]
    public void GetBatchBeforeStartEpochIsAnError()
    {
        var it = new BatchIterator(Numbered(5), 2, seed: 0);

        Assert.Throws<InvalidOperationException>(() => it.GetBatch(0));
        it.StartEpoch(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => it.GetBatch(3));
    }
}
