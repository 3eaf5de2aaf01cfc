using System.Runtime.InteropServices;
using static MPI.Unsafe;

namespace Elbo.Mpi;

/// <summary>
/// The processes of an MPI job as an <see cref="IProcessGroup"/>: MPI.NET starts MPI (thread level serialized: only
/// the calling thread uses it) and its bindings make the calls on <c>MPI_COMM_WORLD</c> with MPI's own datatypes and
/// <c>MPI_SUM</c> (MPI.NET's generic collectives would build derived datatypes that MPICH reports as leaked). Every
/// operation is watched (<see cref="CollectiveWatchdog"/>): one that waits longer than the timeout ends the process
/// with one line. Until the first training step (<see cref="Sum(Span{float})"/>) the allowance is at least
/// <see cref="SetupTimeout"/>, since the ranks may load or decode their data at different speeds.
/// </summary>
public sealed class MpiProcessGroup : IProcessGroup, IDisposable
{
    /// <summary>The least time a rank waits for the others before training starts.</summary>
    public static readonly TimeSpan SetupTimeout = TimeSpan.FromMinutes(30);

    // MPICH's MPI_IN_PLACE, (void *) -1: the result overwrites the input.
    private static readonly IntPtr InPlace = new(-1);

    private readonly MPI.Environment _environment;
    private readonly CollectiveWatchdog _watchdog;
    private readonly TimeSpan _timeout;
    private bool _training, _finished;
    private string _operation = "";

    private MpiProcessGroup(MPI.Environment environment, TimeSpan timeout, TextWriter error)
    {
        _environment = environment;
        _timeout = timeout;
        Check(MPI_Comm_rank(MPI_COMM_WORLD, out int rank), "MPI_Comm_rank");
        Check(MPI_Comm_size(MPI_COMM_WORLD, out int size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
        Host = MPI.Environment.ProcessorName;
        _watchdog = new CollectiveWatchdog($"rank {rank} ({Host})", error);
    }

    /// <summary>Loads MPICH (<see cref="MpiLibrary"/>) and starts MPI; <paramref name="timeout"/> is the longest wait
    /// in one collective operation during training, <paramref name="error"/> where the watchdog writes.</summary>
    public static MpiProcessGroup Start(TimeSpan timeout, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "the timeout must be positive");
        MpiLibrary.Load();
        string[] args = [];
        var environment = new MPI.Environment(ref args, MPI.Threading.Serialized);
        return new MpiProcessGroup(environment, timeout, error);
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>MPI's name of this host.</summary>
    public string Host { get; }

    /// <summary>The longest wait in one collective operation during training.</summary>
    public TimeSpan Timeout => _timeout;

    /// <inheritdoc/>
    public unsafe void Sum(Span<float> values)
    {
        _training = true;
        fixed (float* p = values)
        {
            Begin("the gradient Allreduce");
            End(MPI_Allreduce(InPlace, (IntPtr)p, values.Length, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD));
        }
    }

    /// <inheritdoc/>
    public unsafe void Sum(Span<double> values)
    {
        fixed (double* p = values)
        {
            Begin("the evaluation's Allreduce");
            End(MPI_Allreduce(InPlace, (IntPtr)p, values.Length, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD));
        }
    }

    /// <inheritdoc/>
    public unsafe void Broadcast(Span<float> values, int root)
    {
        fixed (float* p = values)
        {
            Begin("a broadcast of the model's state");
            End(MPI_Bcast((IntPtr)p, values.Length, MPI_FLOAT, root, MPI_COMM_WORLD));
        }
    }

    /// <inheritdoc/>
    public unsafe byte[] Broadcast(ReadOnlySpan<byte> bytes, int root)
    {
        int length = bytes.Length;
        Begin("a broadcast of the run's settings");
        End(MPI_Bcast((IntPtr)(&length), 1, MPI_INT, root, MPI_COMM_WORLD));
        var result = Rank == root ? bytes.ToArray() : new byte[length];
        fixed (byte* p = result)
        {
            Begin("a broadcast of the run's settings");
            End(MPI_Bcast((IntPtr)p, length, MPI_BYTE, root, MPI_COMM_WORLD));
        }
        return result;
    }

    /// <inheritdoc/>
    public unsafe byte[][] Gather(ReadOnlySpan<byte> bytes)
    {
        int length = bytes.Length;
        var lengths = new int[Size];
        fixed (int* l = lengths)
        {
            Begin("the ranks' check of their settings");
            End(MPI_Allgather((IntPtr)(&length), 1, MPI_INT, (IntPtr)l, 1, MPI_INT, MPI_COMM_WORLD));
        }
        var offsets = new int[Size];
        for (int r = 1; r < Size; r++) offsets[r] = checked(offsets[r - 1] + lengths[r - 1]);
        var all = new byte[offsets[^1] + lengths[^1]];
        var mine = bytes.ToArray();
        fixed (byte* s = mine)
        fixed (byte* a = all)
        {
            Begin("the ranks' check of their settings");
            End(MPI_Allgatherv((IntPtr)s, length, MPI_BYTE, (IntPtr)a, lengths, offsets, MPI_BYTE, MPI_COMM_WORLD));
        }
        var result = new byte[Size][];
        for (int r = 0; r < Size; r++) result[r] = all.AsSpan(offsets[r], lengths[r]).ToArray();
        return result;
    }

    /// <summary>Ends MPI after a run that every rank finished alike (success, or the same agreed stop). Not called
    /// on an error: a rank that fails alone leaves without waiting for the others, and the launcher ends them.</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        _watchdog.Dispose();
        _environment.Dispose();
    }

    /// <summary>Stops the watchdog; MPI is ended only by <see cref="Finish"/>.</summary>
    public void Dispose() => _watchdog.Dispose();

    // Arms the watchdog for one operation; End disarms it and checks the operation's return code.
    private void Begin(string operation)
    {
        _operation = operation;
        _watchdog.Enter(operation, _training ? _timeout : (_timeout > SetupTimeout ? _timeout : SetupTimeout));
    }

    private void End(int code)
    {
        _watchdog.Exit();
        Check(code, _operation);
    }

    private static void Check(int code, string operation)
    {
        if (code == MPI_SUCCESS) return;
        var text = new byte[MPI_MAX_ERROR_STRING];
        int length = text.Length;
        MPI_Error_string(code, text, ref length);
        throw new MpiException($"MPI failed in {operation}: {System.Text.Encoding.ASCII.GetString(text, 0, Math.Max(0, length)).Trim()}");
    }
}
