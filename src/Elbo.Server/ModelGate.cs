namespace Elbo.Server;

/// <summary>
/// Admits model calls a few at a time: at most <c>concurrency</c> run at once, up to <c>maxQueued</c> more wait
/// (asynchronously, holding no thread) in arrival order, and beyond that a request is answered 503 at once.
/// <para>Why calls may run concurrently at all — the engine's shared state, checked file by file: grad mode
/// (<c>GradMode</c>), the current tensor arena (<c>TensorArena</c>), the managed GEMM's packing buffers
/// (<c>GemmWorkspace</c>) and backprop's work lists are <c>[ThreadStatic]</c>; the fork-join pool
/// (<c>ParallelRunner</c>) takes its one running loop by a compare-and-swap, and a loop started while another runs
/// — from any thread — runs serially on its caller instead, cut into the same pieces, so two calls never share a job
/// and a GEMM is split by its shape alone (<c>ParallelRunner.InLoop</c>), giving the same bits beside other calls as
/// alone (OpenBLAS is always called single-threaded, each call on its own thread); modules hold no state but their
/// parameters and buffers, which inference only reads (BatchNorm in eval mode reads its running statistics; the
/// library's <c>model.Eval()</c> calls write the same <c>false</c> to every module's flag); every call allocates its
/// own tensors and gets its own <c>Generator</c>. A model call is synchronous from start to end, so its thread-static
/// state never changes thread. tests/Elbo.Server.Tests' concurrency tests check it: parallel decodes, encodes and
/// scores answer byte for byte what each answers alone. docs/serve.md, Concurrency, says the same for users.</para>
/// <para>Why bounded: each call holds its batch's activations (a score of 65,536 samples of a 64 × 64 picture
/// model holds hundreds of MB), and on a machine with two cores more calls at once only share the same cores. One
/// call per core keeps the cores busy; the rest queue.</para>
/// </summary>
public sealed class ModelGate
{
    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private int _admitted;

    /// <summary>A gate for <paramref name="concurrency"/> calls at once and <paramref name="maxQueued"/> waiting.</summary>
    public ModelGate(int concurrency, int maxQueued)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueued, 0);
        Concurrency = concurrency;
        _capacity = concurrency + maxQueued;
        _slots = new SemaphoreSlim(concurrency, concurrency);
    }

    /// <summary>How many calls run at once.</summary>
    public int Concurrency { get; }

    /// <summary>Runs <paramref name="work"/> when a slot is free, on the thread that takes the slot.</summary>
    /// <exception cref="ApiException">503: the queue is full.</exception>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, null,
                $"busy: {_capacity:N0} model calls are already running or waiting; try again shortly");
        }
        try
        {
            await _slots.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                return work();
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }
}
