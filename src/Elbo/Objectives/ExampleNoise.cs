namespace Elbo.Objectives;

/// <summary>
/// Noise keyed by example: row i of a batch is drawn from a generator seeded with a hash of (key, step, first + i),
/// where <c>first</c> is the position of the batch's first row in the global batch (<see cref="At"/>). The noise of an
/// example therefore depends on nothing but the run's key, the step and the example's place in the global batch: a
/// batch cut into shards, one per process, gets row for row the ε one process gets for the whole batch, and a run is
/// reproducible for any number of processes. One generator is reseeded per row, so filling allocates nothing.
/// </summary>
public sealed class ExampleNoise : NoiseSource
{
    private readonly ulong _key;
    private readonly Generator _row = new(0);
    private long _step, _first;

    /// <summary>Noise keyed by <paramref name="key"/> (e.g. a generator's state, see <see cref="FromState"/>).</summary>
    public ExampleNoise(ulong key) => _key = key;

    /// <summary>Noise keyed by a generator state (<see cref="Generator.GetState"/>): the checkpointed training state
    /// keys the noise of every later step.</summary>
    public static ExampleNoise FromState(ReadOnlySpan<ulong> state)
    {
        ulong key = 0x243F6A8885A308D3UL;
        foreach (ulong word in state) key = Mix(key ^ word);
        return new ExampleNoise(key);
    }

    /// <summary>The key.</summary>
    public ulong Key => _key;

    /// <summary>Sets the step and the global position of the next batch's first row; returns this source.</summary>
    public ExampleNoise At(long step, long firstExample)
    {
        _step = step;
        _first = firstExample;
        return this;
    }

    /// <inheritdoc/>
    public override void Fill(Span<float> destination, int rows)
    {
        if (rows <= 0) return;
        if (destination.Length % rows != 0)
            throw new ArgumentException($"example noise: {destination.Length} values do not split into {rows} equal rows");
        int perRow = destination.Length / rows;
        for (int i = 0; i < rows; i++)
        {
            _row.ManualSeed(Seed(_key, _step, _first + i));
            _row.FillNormal(destination.Slice(i * perRow, perRow));
        }
    }

    /// <summary>The seed of the row for <paramref name="example"/> at <paramref name="step"/> under <paramref name="key"/>.</summary>
    public static ulong Seed(ulong key, long step, long example) =>
        Mix(Mix(key ^ Mix(unchecked((ulong)step))) ^ unchecked((ulong)example * 0xD1B54A32D192ED03UL));

    // SplitMix64's finalizer: a bijection that spreads every input bit over the output.
    private static ulong Mix(ulong z)
    {
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
