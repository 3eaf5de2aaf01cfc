namespace Elbo.Fuzz;

/// <summary>
/// One parser under fuzzing. <see cref="Run"/> hands it one input the way Elbo hands it a user's file or request and
/// returns normally when the parser accepted the input or refused it with its documented, typed error (the ones the
/// CLI turns into one-line messages, or an HTTP 4xx with a JSON error); any other exception escapes, and afl-fuzz
/// records the input as a crash. A hang is afl's timeout; a dead process (stack overflow, a native fault) a crash.
/// </summary>
internal abstract class FuzzTarget
{
    /// <summary>The name scripts/fuzz.sh and fuzz/corpus/ use.</summary>
    public abstract string Name { get; }

    /// <summary>What the target calls, in a few words (for <c>list</c>).</summary>
    public abstract string Description { get; }

    /// <summary>The afl-fuzz timeout per input, in milliseconds.</summary>
    public virtual int TimeoutMs => 2000;

    /// <summary>One-time preparation before the first input (the http target starts its servers here).</summary>
    public virtual void Start(Scratch scratch) { }

    /// <summary>Feeds <paramref name="input"/> to the parser. Returns null when it was accepted, the refusal's message
    /// when the parser refused it with its typed error; throws on anything else (a finding).</summary>
    public abstract string? Run(byte[] input, Scratch scratch);

    /// <summary>The seed corpus: small real inputs this parser accepts (and a few it refuses), by file name.</summary>
    public abstract IEnumerable<(string Name, byte[] Bytes)> Seeds(Scratch scratch);
}
