namespace Elbo.Data.Tables;

/// <summary>A growable list stored in fixed chunks of 65,536 values, so reading a column of unknown length never copies
/// it (an array that doubles would hold up to twice the data while it grows); <see cref="ToArray"/> makes the one
/// exact-size array and lets the chunks go.</summary>
internal sealed class ChunkedList<T> where T : unmanaged
{
    private const int Shift = 16, ChunkSize = 1 << Shift, Mask = ChunkSize - 1;
    private readonly List<T[]> _chunks = [];

    public int Count { get; private set; }

    public void Add(T value)
    {
        int offset = Count & Mask;
        if (offset == 0) _chunks.Add(new T[ChunkSize]);
        _chunks[^1][offset] = value;
        Count++;
    }

    public T this[int index]
    {
        get => _chunks[index >> Shift][index & Mask];
        set => _chunks[index >> Shift][index & Mask] = value;
    }

    /// <summary>The values as one array; the list is empty afterwards.</summary>
    public T[] ToArray()
    {
        var result = new T[Count];
        for (int c = 0; c < _chunks.Count; c++)
        {
            int start = c << Shift;
            int length = Math.Min(ChunkSize, Count - start);
            _chunks[c].AsSpan(0, length).CopyTo(result.AsSpan(start));
            _chunks[c] = [];
        }
        _chunks.Clear();
        Count = 0;
        return result;
    }
}
