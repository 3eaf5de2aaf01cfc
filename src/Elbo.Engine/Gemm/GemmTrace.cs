namespace Elbo.Engine.Gemm;

/// <summary>One GEMM call's shape: C (m×n) = op(A) (m×k) · op(B) (k×n), and whether the call was made inside a parallel
/// loop (<see cref="Threading.ParallelRunner.InLoop"/>, as the convolutions' per-image GEMMs are): such a call runs
/// whole on its thread while the loop's other threads run theirs, so it is timed that way, side by side, not split.</summary>
public readonly record struct GemmShape(bool TransA, bool TransB, int M, int N, int K, bool InLoop = false)
{
    /// <summary>Floating-point operations of one call: 2·m·n·k.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>m×k×n with the transposes, e.g. <c>128x784x400 NT</c>, and <c>in a loop</c> after a call made inside a
    /// parallel loop.</summary>
    public override string ToString() => $"{M}x{K}x{N} {(TransA ? 'T' : 'N')}{(TransB ? 'T' : 'N')}{(InLoop ? " in a loop" : "")}";
}

/// <summary>
/// Records the shape of every <see cref="Blas.Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
/// call made while it is open (on any thread), with whether it ran inside a parallel loop, so a workload's own GEMMs — one training step, say — can be timed on
/// each backend (<see cref="GemmCalibration"/>). Disposing it stops the recording. Traces open at the same time (two
/// workloads in one process) each record every call of the process while they are open.
/// </summary>
public sealed class GemmTrace : IDisposable
{
    private readonly Dictionary<GemmShape, int> _counts = [];
    private bool _recording = true;

    private GemmTrace() { }

    // The open traces (copied on change, so a GEMM call reads it without a lock).
    private static GemmTrace[] _open = [];
    private static readonly object Gate = new();

    /// <summary>Starts recording.</summary>
    public static GemmTrace Start()
    {
        var trace = new GemmTrace();
        lock (Gate)
        {
            _open = [.. _open, trace];
            Blas.Tracing = true;
        }
        return trace;
    }

    // Called by every GEMM while a trace is open.
    internal static void Record(GemmShape shape)
    {
        foreach (var trace in Volatile.Read(ref _open)) trace.Add(shape);
    }

    /// <summary>The distinct shapes recorded, each with the number of calls, in the order first seen.</summary>
    public IReadOnlyList<(GemmShape Shape, int Calls)> Calls
    {
        get
        {
            lock (_counts) return _counts.Select(p => (p.Key, p.Value)).ToArray();
        }
    }

    private void Add(GemmShape shape)
    {
        lock (_counts)
            if (_recording) _counts[shape] = _counts.GetValueOrDefault(shape) + 1;
    }

    /// <summary>Stops recording.</summary>
    public void Dispose()
    {
        lock (_counts) _recording = false;
        lock (Gate)
        {
            _open = _open.Where(t => t != this).ToArray();
            Blas.Tracing = _open.Length > 0;
        }
    }
}
