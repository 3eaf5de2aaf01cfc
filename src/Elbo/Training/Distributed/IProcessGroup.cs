namespace Elbo.Training.Distributed;

/// <summary>
/// The processes of a data-parallel run (ranks 0 … <see cref="Size"/> − 1) and the few collective operations the
/// trainer needs. Every process must call the same operations in the same order with buffers of the same lengths;
/// each call returns once every process has made it. <see cref="SingleProcess"/> is the group of one; an MPI
/// implementation lives outside this library (Elbo.Mpi), so nothing here depends on MPI.
/// </summary>
public interface IProcessGroup
{
    /// <summary>This process's rank, 0 … <see cref="Size"/> − 1; rank 0 alone writes the run folder.</summary>
    int Rank { get; }

    /// <summary>The number of processes.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> with their element-wise sum over all processes (an Allreduce);
    /// every process ends with the same sums.</summary>
    void Sum(Span<float> values);

    /// <summary>As <see cref="Sum(Span{float})"/> in double precision.</summary>
    void Sum(Span<double> values);

    /// <summary>Copies the <paramref name="values"/> of process <paramref name="root"/> into every process's
    /// <paramref name="values"/>.</summary>
    void Broadcast(Span<float> values, int root);

    /// <summary>Process <paramref name="root"/>'s <paramref name="bytes"/> on every process (the others' argument is
    /// ignored and may be empty).</summary>
    byte[] Broadcast(ReadOnlySpan<byte> bytes, int root);

    /// <summary>Every process's <paramref name="bytes"/>, by rank (an Allgather of byte strings of any lengths).</summary>
    byte[][] Gather(ReadOnlySpan<byte> bytes);
}
