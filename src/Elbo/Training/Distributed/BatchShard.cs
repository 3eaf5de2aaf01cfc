namespace Elbo.Training.Distributed;

/// <summary>The rows of a global batch one process computes: <see cref="Count"/> rows from <see cref="Start"/>. A
/// batch of B rows over N processes gives each ⌊B/N⌋ consecutive rows and the first B mod N one more, so shards differ
/// by at most one row; with fewer rows than processes the last ones get none.</summary>
/// <param name="Start">The first row, in the global batch.</param>
/// <param name="Count">The number of rows (0 or more).</param>
public readonly record struct BatchShard(int Start, int Count)
{
    /// <summary>The shard of process <paramref name="rank"/> of <paramref name="ranks"/> in a batch of
    /// <paramref name="rows"/>.</summary>
    public static BatchShard Of(int rows, int rank, int ranks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        if ((uint)rank >= (uint)ranks) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"a rank of {ranks} processes");
        int each = rows / ranks, extra = rows % ranks;
        int start = rank * each + Math.Min(rank, extra);
        return new BatchShard(start, each + (rank < extra ? 1 : 0));
    }
}
