namespace Elbo.Engine.Gemm;

/// <summary>One GEMM call's shape: C (m×n) = op(A) (m×k) · op(B) (k×n).</summary>
public readonly record struct GemmShape(bool TransA, bool TransB, int M, int N, int K)
{
    /// <summary>Floating-point operations of one call: 2·m·n·k.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>m×k×n with the transposes, e.g. <c>128x784x400 NT</c>.</summary>
    public override string ToString() => $"{M}x{K}x{N} {(TransA ? 'T' : 'N')}{(TransB ? 'T' : 'N')}";
}

/// <summary>
/// Records the shape of every <see cref="Blas.Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
/// call made while it is open (on any thread), so a workload's own GEMMs — one training step, say — can be timed on
/// each backend (<see cref="GemmCalibration"/>). One trace at a time; disposing it stops the recording.
/// </summary>
public sealed class GemmTrace : IDisposable
{
    private readonly Dictionary<GemmShape, int> _counts = [];
    private bool _open = true;

    private GemmTrace() { }

    /// <summary>Starts recording.</summary>
    /// <exception cref="InvalidOperationException">Another trace is open.</exception>
    public static GemmTrace Start()
    {
        var trace = new GemmTrace();
        if (Interlocked.CompareExchange(ref Blas.Trace, trace, null) is not null)
            throw new InvalidOperationException("gemm: a GEMM trace is already recording");
        return trace;
    }

    /// <summary>The distinct shapes recorded, each with the number of calls, in the order first seen.</summary>
    public IReadOnlyList<(GemmShape Shape, int Calls)> Calls
    {
        get
        {
            lock (_counts) return _counts.Select(p => (p.Key, p.Value)).ToArray();
        }
    }

    internal void Add(GemmShape shape)
    {
        lock (_counts)
            if (_open) _counts[shape] = _counts.GetValueOrDefault(shape) + 1;
    }

    /// <summary>Stops recording.</summary>
    public void Dispose()
    {
        lock (_counts) _open = false;
        Interlocked.CompareExchange(ref Blas.Trace, null, this);
    }
}
