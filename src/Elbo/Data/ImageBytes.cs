namespace Elbo.Data;

/// <summary>
/// The uint8 pixels of <see cref="Count"/> examples of <see cref="Features"/> bytes each, held in chunks below .NET's
/// array limit (about 2 GB) so that a large image folder fits in memory as bytes (CelebA's 202,599 RGB images at
/// 64×64 are 2.5 GB) without one array having to hold them all. An example never straddles two chunks.
/// </summary>
public sealed class ImageBytes
{
    private readonly byte[][] _chunks;

    /// <summary>Room for <paramref name="count"/> examples of <paramref name="features"/> bytes, zeroed;
    /// <paramref name="maxChunkBytes"/> caps a chunk (default: the largest array .NET allows; tests pass less).</summary>
    public ImageBytes(int count, int features, long maxChunkBytes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        long cap = maxChunkBytes > 0 ? Math.Min(maxChunkBytes, Array.MaxLength) : Array.MaxLength;
        if (features > cap) throw new ArgumentException($"an example of {features} bytes does not fit a chunk of {cap}", nameof(features));
        ExamplesPerChunk = (int)Math.Min(Math.Max(count, 1), cap / features);
        int chunkCount = count == 0 ? 0 : (count + ExamplesPerChunk - 1) / ExamplesPerChunk;
        _chunks = new byte[chunkCount][];
        for (int i = 0; i < chunkCount; i++)
            _chunks[i] = new byte[(long)Math.Min(ExamplesPerChunk, count - i * ExamplesPerChunk) * features];
        Count = count;
        Features = features;
    }

    /// <summary>Wraps one array of whole examples (not copied).</summary>
    public ImageBytes(byte[] bytes, int features)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        if (bytes.Length % features != 0)
            throw new ArgumentException($"{bytes.Length} bytes is not a whole number of examples of {features}", nameof(bytes));
        _chunks = [bytes];
        Count = bytes.Length / features;
        ExamplesPerChunk = Math.Max(Count, 1);
        Features = features;
    }

    /// <summary>The number of examples.</summary>
    public int Count { get; }

    /// <summary>Bytes per example.</summary>
    public int Features { get; }

    /// <summary>Examples per chunk (the last chunk may hold fewer).</summary>
    public int ExamplesPerChunk { get; }

    /// <summary>The total size in bytes.</summary>
    public long Length => (long)Count * Features;

    /// <summary>The chunks, in order (for writing and reading them whole).</summary>
    public IReadOnlyList<byte[]> Chunks => _chunks;

    /// <summary>The bytes of example <paramref name="index"/>.</summary>
    public Span<byte> this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"{Count} examples");
            int chunk = index / ExamplesPerChunk;
            return _chunks[chunk].AsSpan((index - chunk * ExamplesPerChunk) * Features, Features);
        }
    }
}
