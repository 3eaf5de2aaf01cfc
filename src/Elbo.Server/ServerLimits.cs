namespace Elbo.Server;

/// <summary>What one request may ask of the server: the body's size, the examples per request, the importance samples
/// of a score, the points of an interpolation, and how many model calls may wait for their turn. A request beyond a
/// limit is refused before any model work (413 for sizes, 400 for parameters), naming the field.</summary>
public sealed record ServerLimits
{
    /// <summary>The largest request body, in bytes (16 MiB: 256 RGB pictures of 64 × 64 as float arrays fit).</summary>
    public long MaxBodyBytes { get; init; } = 16L << 20;

    /// <summary>The most examples (pictures, value arrays, table rows, test indices, latent points or samples) in one
    /// request.</summary>
    public int MaxExamples { get; init; } = 256;

    /// <summary>The most importance samples per example a score may ask for.</summary>
    public int MaxK { get; init; } = 1000;

    /// <summary>The most importance samples of one score request in all (examples × k): a decoder call each.</summary>
    public int MaxImportanceSamples { get; init; } = 65_536;

    /// <summary>The most decoded points of one interpolation, endpoints included.</summary>
    public int MaxSteps { get; init; } = 64;

    /// <summary>The most model calls waiting for a free slot; beyond it a request is answered 503 at once.</summary>
    public int MaxQueued { get; init; } = 4096;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first limit that is not positive.</summary>
    public void Validate()
    {
        if (MaxBodyBytes < 1024) throw new ArgumentException($"the body limit must be at least 1024 bytes, got {MaxBodyBytes}");
        foreach (var (name, value) in new[] { ("maxExamples", MaxExamples), ("maxK", MaxK), ("maxImportanceSamples", MaxImportanceSamples), ("maxQueued", MaxQueued) })
            if (value < 1) throw new ArgumentException($"{name} must be positive, got {value}");
        if (MaxSteps < 2) throw new ArgumentException($"maxSteps must be at least 2, got {MaxSteps}");
    }
}
