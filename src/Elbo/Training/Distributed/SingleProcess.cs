namespace Elbo.Training.Distributed;

/// <summary>The group of one process: every collective operation leaves the values as they are.</summary>
public sealed class SingleProcess : IProcessGroup
{
    /// <summary>The one instance.</summary>
    public static SingleProcess Instance { get; } = new();

    private SingleProcess() { }

    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public void Sum(Span<float> values) { }

    /// <inheritdoc/>
    public void Sum(Span<double> values) { }

    /// <inheritdoc/>
    public void Broadcast(Span<float> values, int root) => CheckRoot(root);

    /// <inheritdoc/>
    public byte[] Broadcast(ReadOnlySpan<byte> bytes, int root)
    {
        CheckRoot(root);
        return bytes.ToArray();
    }

    /// <inheritdoc/>
    public byte[][] Gather(ReadOnlySpan<byte> bytes) => [bytes.ToArray()];

    private static void CheckRoot(int root)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "a single process is rank 0");
    }
}
