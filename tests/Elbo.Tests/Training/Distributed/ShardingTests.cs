using Elbo.Data;
using Elbo.Objectives;
using Elbo.Training.Distributed;

namespace Elbo.Tests.Training.Distributed;

/// <summary>How a global batch is cut among processes, and the noise that makes N processes draw what one draws.</summary>
public class ShardingTests
{
    [Theory]
    [InlineData(128, 2)]
    [InlineData(33, 2)]
    [InlineData(7, 3)]
    [InlineData(1, 2)]
    [InlineData(0, 4)]
    [InlineData(100, 8)]
    public void ShardsCoverTheBatchInOrderAndDifferByAtMostOneRow(int rows, int ranks)
    {
        int next = 0;
        var counts = new List<int>();
        for (int r = 0; r < ranks; r++)
        {
            var shard = BatchShard.Of(rows, r, ranks);
            Assert.Equal(next, shard.Start);
            next += shard.Count;
            counts.Add(shard.Count);
        }
        Assert.Equal(rows, next);
        Assert.True(counts.Max() - counts.Min() <= 1);
    }

    [Fact]
    public void AShardOfARankThatDoesNotExistIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchShard.Of(10, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchShard.Of(10, 0, 0));
    }

    [Fact]
    public void EveryRankOfABatchIteratorTakesItsOwnRowsOfTheSameGlobalBatches()
    {
        var pixels = new float[23 * 2];
        for (int i = 0; i < 23; i++) pixels.AsSpan(i * 2, 2).Fill(i);
        var data = new Dataset("numbered", pixels, [.. Enumerable.Range(0, 23)], DataShape.Grey(1, 2), "none");
        var whole = new BatchIterator(data, batchSize: 5, seed: 9);
        var parts = Enumerable.Range(0, 3).Select(r => new BatchIterator(data, batchSize: 5, seed: 9, rank: r, ranks: 3)).ToArray();
        whole.StartEpoch(2);
        foreach (var p in parts) p.StartEpoch(2);
        for (int b = 0; b < whole.BatchCount; b++)
        {
            var global = whole.GetBatch(b);
            var labels = new List<int>();
            foreach (var p in parts)
            {
                var shard = p.GetBatch(b);
                Assert.Equal(labels.Count, shard.First);
                Assert.Equal(global.Size, shard.GlobalSize);
                for (int i = 0; i < shard.Size; i++) Assert.Equal(shard.Labels[i], shard.Images.Data[i * 2]);   // pixels follow labels
                labels.AddRange(shard.Labels);
            }
            Assert.Equal(global.Labels, labels);          // the last batch (3 rows over 3 ranks) too
        }
    }

    [Fact]
    public void ExampleNoiseOfAShardIsTheRowsOfTheWholeBatchsNoise()
    {
        var noise = new ExampleNoise(0x1234);
        const int rows = 37, perRow = 45;                 // 45: the vectorized blocks of 32 and a scalar tail per row
        var whole = new float[rows * perRow];
        noise.At(step: 11, firstExample: 0).Fill(whole, rows);
        var shard = new float[12 * perRow];
        noise.At(step: 11, firstExample: 20).Fill(shard, 12);
        Assert.Equal(whole.AsSpan(20 * perRow, 12 * perRow).ToArray(), shard);

        // another step, another key: other noise; rows of one batch differ from each other
        var later = new float[rows * perRow];
        noise.At(step: 12, firstExample: 0).Fill(later, rows);
        Assert.NotEqual(whole, later);
        var otherKey = new float[rows * perRow];
        new ExampleNoise(0x1235).At(11, 0).Fill(otherKey, rows);
        Assert.NotEqual(whole, otherKey);
        Assert.NotEqual(whole.AsSpan(0, perRow).ToArray(), whole.AsSpan(perRow, perRow).ToArray());
        // standard normal: mean ≈ 0, variance ≈ 1 over 1,665 draws
        double mean = whole.Average(), variance = whole.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.1, 0.1);
        Assert.InRange(variance, 0.9, 1.1);
    }

    [Fact]
    public void NoiseThatDoesNotSplitIntoRowsIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new ExampleNoise(1).At(0, 0).Fill(new float[10], 3));
    }

    [Fact]
    public void OptionsThatDifferNameTheRankAndTheLine()
    {
        var e = Assert.Throws<ReplicaMismatchException>(() => Replicas.Compare("options", [["--lr 0.1", "--seed 1"], ["--lr 0.1", "--seed 1"], ["--lr 0.1", "--seed 2"]]));
        Assert.Contains("rank 2 was started with other options than rank 0: --seed 2 (rank 0: --seed 1)", e.Message);
        Replicas.Compare("options", [["a"], ["a"]]);
    }

    [Fact]
    public void TheGroupOfOneLeavesValuesAsTheyAre()
    {
        var group = SingleProcess.Instance;
        float[] values = [1, 2, 3];
        group.Sum(values);
        Assert.Equal([1f, 2, 3], values);
        Assert.Equal([[7, 8]], group.Gather([7, 8]));
        Assert.Equal([5], group.Broadcast([5], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => group.Broadcast([5], 1));
    }
}
