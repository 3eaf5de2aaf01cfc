using System.Runtime.ExceptionServices;

namespace Elbo.Engine.Threading;

/// <summary>The work of one parallel loop: <see cref="Invoke"/> runs item <c>index</c> of the loop.
/// Implement it on a struct that holds pointers or arrays (not spans) so that dispatch allocates nothing.</summary>
public interface IParallelBody
{
    /// <summary>Runs item <paramref name="index"/> of the loop.</summary>
    void Invoke(int index);
}

/// <summary>
/// A tiny fork-join pool for the engine's kernels: persistent worker threads, dynamic scheduling of loop items,
/// and no allocation per dispatch (the body is a struct copied into one cached job object per body type).
/// The number of threads comes from <c>ELBO_NUM_THREADS</c> (default: the processor count) and can be changed
/// with <see cref="Threads"/>. A call made while another parallel loop is running (nested, or from another
/// thread) runs serially on the calling thread, so callers never deadlock.
/// </summary>
public static class ParallelRunner
{
    private static readonly object Gate = new();
    private static Worker[] _workers = [];
    private static int _threads = DefaultThreads();
    private static int _busy;

    // Shared state of the running loop.
    private static JobBase? _job;
    private static int _count;
    private static int _next;
    private static int _pending;

    /// <summary>How many threads a parallel loop may use, the caller included (at least 1).</summary>
    public static int Threads
    {
        get => _threads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Threads));
            lock (Gate) { _threads = value; }
        }
    }

    /// <summary>True while a parallel loop is running, on any thread: a <see cref="For{T}"/> called now would run
    /// serially on the calling thread.</summary>
    public static bool IsBusy => Volatile.Read(ref _busy) != 0;

    /// <summary>True on a thread while it runs items of a parallel loop (the loop's caller or a worker): work started
    /// there is nested in a loop, whose threads are already busy, so callers that split work skip the split. Unlike
    /// <see cref="IsBusy"/> it does not depend on what other threads do, so a caller that splits work only when this
    /// is false splits it the same way whether or not another thread's loop is running (the pieces then run serially
    /// on the caller), and computes the same bits: two model calls at once (elbo serve) answer what each does alone.</summary>
    public static bool InLoop => t_inLoop;

    [ThreadStatic] private static bool t_inLoop;

    /// <summary>Runs <c>body.Invoke(i)</c> for every i in [0, count), spread over up to <see cref="Threads"/> threads.</summary>
    public static void For<T>(int count, ref T body) where T : struct, IParallelBody
    {
        if (count <= 0) return;
        int participants = Math.Min(_threads, count);
        bool outer = t_inLoop;
        if (participants == 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            t_inLoop = true;
            try
            {
                for (int i = 0; i < count; i++) body.Invoke(i);
            }
            finally
            {
                t_inLoop = outer;
            }
            return;
        }
        t_inLoop = true;
        try
        {
            EnsureWorkers(participants - 1);
            var job = Job<T>.Instance;
            job.Body = body;
            _job = job;
            _count = count;
            _next = 0;
            _activeWorkers = participants - 1;
            _pending = participants - 1;
            Interlocked.Increment(ref _generation); // publishes the job; spinning workers see it at once
            var workers = _workers;
            for (int w = 0; w < participants - 1; w++) workers[w].Wake();
            Exception? error = null;
            try { RunItems(job); }
            catch (Exception e) { error = e; }
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
            _job = null;
            job.Body = default;
            Exception? workerError = Interlocked.Exchange(ref _workerError, null);
            if (error != null) ExceptionDispatchInfo.Throw(error); // keep the original stack trace
            if (workerError != null) throw new AggregateException("A parallel loop failed on a worker thread.", workerError);
        }
        finally
        {
            t_inLoop = outer;
            Volatile.Write(ref _busy, 0);
        }
    }

    // Each dispatch bumps the generation; workers wait for a new one. A worker spins for a while after its last job
    // (a training step dispatches every few tens of microseconds, and waking a blocked thread costs about as much),
    // then blocks on its semaphore. Sleeping: 0 awake, 1 blocked or about to block; the dispatcher moves 1 -> 0 and
    // releases the semaphore, so a wake-up is never lost.
    private static int _generation;
    private static int _activeWorkers;

    /// <summary>How long an idle worker spins before it blocks.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 1_000_000 *
        (long.TryParse(Environment.GetEnvironmentVariable("ELBO_SPIN_US"), out long us) ? us : 1000);

    private static Exception? _workerError;

    private static void RunItems(JobBase job)
    {
        int count = _count;
        while (true)
        {
            int i = Interlocked.Increment(ref _next) - 1;
            if (i >= count) return;
            job.Run(i);
        }
    }

    private static void EnsureWorkers(int needed)
    {
        if (_workers.Length >= needed) return;
        lock (Gate)
        {
            if (_workers.Length >= needed) return;
            var grown = new Worker[needed];
            Array.Copy(_workers, grown, _workers.Length);
            for (int w = _workers.Length; w < needed; w++) grown[w] = new Worker(w);
            _workers = grown;
        }
    }

    private static int DefaultThreads()
    {
        string? env = Environment.GetEnvironmentVariable("ELBO_NUM_THREADS");
        if (env != null && int.TryParse(env, out int n) && n >= 1) return n;
        return Environment.ProcessorCount;
    }

    private abstract class JobBase
    {
        public abstract void Run(int index);
    }

    private sealed class Job<T> : JobBase where T : struct, IParallelBody
    {
        public static readonly Job<T> Instance = new();
        public T Body;
        public override void Run(int index) => Body.Invoke(index);
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim _signal = new(0);
        private readonly int _id;
        private int _sleeping;
        private readonly int _startGeneration;

        public Worker(int id)
        {
            _id = id;
            // Read on the creating thread, before the dispatch that needs this worker bumps the generation: a worker
            // that read it after would wait for the next dispatch and never join this one.
            _startGeneration = Volatile.Read(ref _generation);
            var thread = new Thread(Loop) { IsBackground = true, Name = $"elbo-worker-{id}" };
            thread.Start();
        }

        public void Wake()
        {
            if (Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1) _signal.Release();
        }

        private void Loop()
        {
            t_inLoop = true;                    // a worker only ever runs loop items
            int seen = _startGeneration;
            while (true)
            {
                seen = WaitForGeneration(seen);
                if (_id >= Volatile.Read(ref _activeWorkers)) continue; // not needed for this loop
                try
                {
                    var job = _job;
                    if (job != null) RunItems(job);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _workerError, e, null);
                    Volatile.Write(ref _next, int.MaxValue / 2);
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            }
        }

        private int WaitForGeneration(int seen)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            int g;
            while ((g = Volatile.Read(ref _generation)) == seen)
            {
                long idle = System.Diagnostics.Stopwatch.GetTimestamp() - start;
                if (idle < SpinTicks)
                {
                    // Spin hard at first, then politely: yielding lets other runnable threads (OpenBLAS's own
                    // workers, say) have the core.
                    if (idle < SpinTicks / 10) Thread.SpinWait(20);
                    else Thread.Yield();
                    continue;
                }
                Volatile.Write(ref _sleeping, 1);
                Interlocked.MemoryBarrier();
                if ((g = Volatile.Read(ref _generation)) != seen)
                {
                    // A dispatch came in meanwhile: take back the sleeping flag, or, if the dispatcher already took
                    // it, consume the release it made.
                    if (Interlocked.CompareExchange(ref _sleeping, 0, 1) != 1) _signal.Wait();
                    return g;
                }
                _signal.Wait();
                start = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            return g;
        }
    }
}
