namespace Elbo.Engine.Tensors;

/// <summary>
/// Reuses the tensors of a repeated computation (a training step) so that the steady state allocates nothing.
/// Inside <see cref="Step"/>, every operation's result and every intermediate gradient is taken from the arena in
/// order; the next step hands the same tensor objects and buffers out again in the same order (buffers grow when a
/// shape needs more room). Tensors obtained inside a step are valid until the next <see cref="Step"/> of the same
/// arena: copy out what you keep (<see cref="Tensor.Item"/>, <see cref="Tensor.Clone"/>).
/// Factories such as <see cref="Tensor.Zeros(int[])"/> and module parameters never come from an arena.
/// </summary>
public sealed class TensorArena
{
    [ThreadStatic] private static TensorArena? _current;

    private readonly List<Tensor> _slots = [];
    private int _cursor;

    /// <summary>The arena of the step running on this thread, if any.</summary>
    internal static TensorArena? Current => _current;

    /// <summary>Starts a step: results of the operations that follow on this thread come from this arena,
    /// reusing the previous step's tensors. Dispose the scope to end the step.</summary>
    public ArenaScope Step()
    {
        _cursor = 0;
        var previous = _current;
        _current = this;
        return new ArenaScope(this, previous);
    }

    /// <summary>How many tensors the arena holds.</summary>
    public int Count => _slots.Count;

    /// <summary>Bytes held by the arena's buffers.</summary>
    public long Bytes
    {
        get
        {
            long b = 0;
            foreach (var t in _slots) b += (long)t.Capacity * sizeof(float);
            return b;
        }
    }

    /// <summary>Drops every tensor so their memory can be collected.</summary>
    public void Clear()
    {
        _slots.Clear();
        _cursor = 0;
    }

    internal Tensor Rent(ReadOnlySpan<int> shape, bool view = false)
    {
        int numel = Shapes.Numel(shape, "tensor");
        Tensor t;
        if (_cursor < _slots.Count)
        {
            t = _slots[_cursor];
        }
        else
        {
            t = Tensor.NewPooled(view ? 0 : numel, this);
            _slots.Add(t);
        }
        _cursor++;
        t.Reinitialize(shape, numel, view);
        return t;
    }

    internal static void Restore(TensorArena? previous) => _current = previous;
}

/// <summary>The extent of one arena step; disposing it restores the arena that was current before.</summary>
public readonly struct ArenaScope : IDisposable
{
    private readonly TensorArena? _previous;
    private readonly TensorArena _arena;

    internal ArenaScope(TensorArena arena, TensorArena? previous)
    {
        _arena = arena;
        _previous = previous;
    }

    /// <summary>Ends the step.</summary>
    public void Dispose() => TensorArena.Restore(_previous);
}
