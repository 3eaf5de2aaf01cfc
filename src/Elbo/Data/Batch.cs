namespace Elbo.Data;

/// <summary>One batch of a <see cref="BatchIterator"/>. Its tensor and label array are reused by the iterator: they
/// hold this batch only until the next batch of the same size is fetched.</summary>
public readonly struct Batch
{
    internal Batch(int index, Tensor images, int[] labels, int first, int globalSize)
    {
        Index = index;
        First = first;
        GlobalSize = globalSize;
        Images = images;
        Labels = labels;
    }

    /// <summary>The batch's position in its epoch (0-based).</summary>
    public int Index { get; }

    /// <summary>The pixels, (B, C, H, W) or (B, C·H·W) as the iterator's layout says.</summary>
    public Tensor Images { get; }

    /// <summary>The labels, one per image (-1 where the data has none); the length is the batch size.</summary>
    public int[] Labels { get; }

    /// <summary>The number of images in the batch (smaller for the last batch of an epoch); in a data-parallel run,
    /// in this process's shard of it (possibly 0).</summary>
    public int Size => Labels.Length;

    /// <summary>The position of this batch's first row in the global batch (0 unless the batch is a shard).</summary>
    public int First { get; }

    /// <summary>The number of rows of the global batch (<see cref="Size"/> unless the batch is a shard).</summary>
    public int GlobalSize { get; }
}
