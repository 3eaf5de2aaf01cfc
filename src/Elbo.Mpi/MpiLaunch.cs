using System.Globalization;

namespace Elbo.Mpi;

/// <summary>Which launcher started this process, read from the environment before MPI is touched.</summary>
public enum Launcher
{
    /// <summary>No MPI launcher: a plain process.</summary>
    None,
    /// <summary>A PMI launcher, as MPICH's <c>mpiexec.mpich</c> (Hydra) or Slurm's <c>srun --mpi=pmi2</c> (PMI_RANK, PMI_SIZE).</summary>
    Pmi,
    /// <summary>Open MPI's <c>mpirun</c> (OMPI_COMM_WORLD_SIZE): a different ABI that MPI.NET over MPICH cannot use.</summary>
    OpenMpi,
}

/// <summary>
/// What the environment says about an MPI launch: MPICH's Hydra and Slurm's PMI set <c>PMI_RANK</c>/<c>PMI_SIZE</c>
/// (and Hydra <c>MPI_LOCALNRANKS</c>, the ranks on this host); Open MPI sets <c>OMPI_COMM_WORLD_*</c>. Read without
/// loading MPI, so a process knows its rank (rank 0 alone writes) before anything starts.
/// </summary>
/// <param name="Launcher">Who launched the process.</param>
/// <param name="Rank">This process's rank (0 without a launcher).</param>
/// <param name="Size">The number of processes launched (1 without a launcher).</param>
/// <param name="LocalRanks">The processes launched on this host (1 when the launcher does not say).</param>
public sealed record MpiLaunch(Launcher Launcher, int Rank, int Size, int LocalRanks)
{
    /// <summary>The launch this process's environment describes.</summary>
    public static MpiLaunch Detect() => Detect(Environment.GetEnvironmentVariable);

    /// <summary>The launch an environment (a name → value lookup) describes.</summary>
    public static MpiLaunch Detect(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (Number(environment("OMPI_COMM_WORLD_SIZE")) is { } ompiSize)
            return new MpiLaunch(Launcher.OpenMpi, Number(environment("OMPI_COMM_WORLD_RANK")) ?? 0, ompiSize,
                Number(environment("OMPI_COMM_WORLD_LOCAL_SIZE")) ?? 1);
        if (Number(environment("PMI_SIZE")) is { } size)
            return new MpiLaunch(Launcher.Pmi, Number(environment("PMI_RANK")) ?? 0, size,
                Number(environment("MPI_LOCALNRANKS")) ?? Number(environment("SLURM_NTASKS_PER_NODE")) ?? 1);
        return new MpiLaunch(Launcher.None, 0, 1, 1);
    }

    /// <summary>Whether several processes were launched.</summary>
    public bool IsParallel => Size > 1;

    private static int? Number(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 0 ? n : null;
}
