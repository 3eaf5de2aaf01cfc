using Elbo.Training.Distributed;

namespace Elbo.Tests.Training.Distributed;

/// <summary>A process group of threads in one process, for testing the trainer's data-parallel logic without MPI:
/// each collective meets at a barrier, and sums add the ranks' values in rank order.</summary>
internal sealed class ThreadedProcessGroup : IProcessGroup
{
    private readonly Shared _shared;

    private ThreadedProcessGroup(Shared shared, int rank)
    {
        _shared = shared;
        Rank = rank;
    }

    /// <summary>The <paramref name="size"/> members of one group, by rank.</summary>
    public static ThreadedProcessGroup[] Create(int size)
    {
        var shared = new Shared(size);
        return [.. Enumerable.Range(0, size).Select(r => new ThreadedProcessGroup(shared, r))];
    }

    public int Rank { get; }

    public int Size => _shared.Slots.Length;

    /// <summary>The number of float Allreduce calls this member made (training steps).</summary>
    public int FloatSums { get; private set; }

    public void Sum(Span<float> values)
    {
        FloatSums++;
        var all = Exchange(values.ToArray());
        for (int i = 0; i < values.Length; i++)
        {
            float s = 0;
            foreach (var a in all) s += ((float[])a)[i];
            values[i] = s;
        }
    }

    public void Sum(Span<double> values)
    {
        var all = Exchange(values.ToArray());
        for (int i = 0; i < values.Length; i++)
        {
            double s = 0;
            foreach (var a in all) s += ((double[])a)[i];
            values[i] = s;
        }
    }

    public void Broadcast(Span<float> values, int root) => ((float[])Exchange(values.ToArray())[root]).CopyTo(values);

    public byte[] Broadcast(ReadOnlySpan<byte> bytes, int root) => (byte[])Exchange(bytes.ToArray())[root];

    public byte[][] Gather(ReadOnlySpan<byte> bytes) => [.. Exchange(bytes.ToArray()).Cast<byte[]>()];

    // Every member posts its value, waits for all, takes a copy of all, and waits again before the slots are reused.
    private object[] Exchange(object mine)
    {
        _shared.Slots[Rank] = mine;
        if (!_shared.Barrier.SignalAndWait(TimeSpan.FromSeconds(60))) throw new TimeoutException("threaded group: a member did not arrive");
        var all = (object[])_shared.Slots.Clone();
        if (!_shared.Barrier.SignalAndWait(TimeSpan.FromSeconds(60))) throw new TimeoutException("threaded group: a member did not arrive");
        return all;
    }

    private sealed class Shared(int size)
    {
        public object[] Slots { get; } = new object[size];

        public Barrier Barrier { get; } = new(size);
    }
}
