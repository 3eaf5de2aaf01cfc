using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Elbo.Mpi;

/// <summary>
/// Stops a process that waits too long in one collective operation. MPI cannot cancel a blocking Allreduce, and a
/// rank that hangs (stopped, swapping, cut off by the network) leaves the others waiting for ever. A background
/// thread watches the operation in progress; past its limit it writes one line naming the rank, the host and the
/// operation and ends the process at once (<c>_exit</c>: no finalizer and no MPI call may block it). The launcher then
/// ends the other ranks. The run folder keeps its last checkpoint: every checkpoint is written whole or not at all,
/// and a rank waiting in a collective is writing nothing.
/// </summary>
internal sealed class CollectiveWatchdog : IDisposable
{
    private readonly Thread _thread;
    private readonly TextWriter _error;
    private readonly string _who;
    private long _since;                 // Stopwatch timestamp of the operation's start; 0 while none runs
    private long _limitTicks;
    private string _operation = "";
    private volatile bool _stopped;

    /// <summary>The exit code of a process the watchdog ends.</summary>
    public const int ExitCode = 1;

    public CollectiveWatchdog(string who, TextWriter error)
    {
        _who = who;
        _error = error;
        _thread = new Thread(Watch) { IsBackground = true, Name = "elbo collective watchdog" };
        _thread.Start();
    }

    /// <summary>Marks the start of <paramref name="operation"/>, allowed <paramref name="limit"/>.</summary>
    public void Enter(string operation, TimeSpan limit)
    {
        _operation = operation;
        Volatile.Write(ref _limitTicks, (long)(limit.TotalSeconds * Stopwatch.Frequency));
        Volatile.Write(ref _since, Stopwatch.GetTimestamp());
    }

    /// <summary>Marks the end of the operation.</summary>
    public void Exit() => Volatile.Write(ref _since, 0);

    private void Watch()
    {
        while (!_stopped)
        {
            Thread.Sleep(200);
            long since = Volatile.Read(ref _since);
            if (since == 0) continue;
            long waited = Stopwatch.GetTimestamp() - since;
            if (waited <= Volatile.Read(ref _limitTicks) || Volatile.Read(ref _since) != since) continue;
            double seconds = (double)waited / Stopwatch.Frequency;
            try
            {
                _error.WriteLine($"elbo: {_who}: no answer from the other ranks for {seconds:F0} s in {_operation} (a rank died or hangs; " +
                    "--distributed-timeout sets the limit); stopping — the run folder keeps its last checkpoint");
                _error.Flush();
            }
            catch (IOException) { }
            Exit(ExitCode);
        }
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);

    public void Dispose() => _stopped = true;
}
