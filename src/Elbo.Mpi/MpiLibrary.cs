using System.Reflection;
using System.Runtime.InteropServices;

namespace Elbo.Mpi;

/// <summary>
/// Points MPI.NET at MPICH. The MPI.NET package is built against Microsoft MPI (<c>msmpi.dll</c>), whose handles and
/// constants are MPICH's; on Linux a DllImport resolver maps it to MPICH's <c>libmpich.so.12</c> (Debian's package
/// mpich), or to the library <c>ELBO_MPI_LIBRARY</c> names (another MPICH-ABI implementation: Intel MPI, MVAPICH,
/// Cray MPICH — their <c>libmpi.so.12</c>).
/// </summary>
public static class MpiLibrary
{
    /// <summary>The variable that names another MPICH-ABI library.</summary>
    public const string Variable = "ELBO_MPI_LIBRARY";

    /// <summary>MPICH's library (the Debian package mpich).</summary>
    public const string Default = "libmpich.so.12";

    private static IntPtr _handle;

    /// <summary>The library loaded, once <see cref="Load"/> has run.</summary>
    public static string? Name { get; private set; }

    /// <summary>Loads the MPI library and installs the resolver (once); a library that does not load throws
    /// <see cref="MpiException"/> saying what to install.</summary>
    public static void Load()
    {
        if (_handle != IntPtr.Zero) return;
        string name = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v ? v : Default;
        if (!NativeLibrary.TryLoad(name, out var handle))
            throw new MpiException(name == Default
                ? $"MPICH is not installed ({Default} does not load): apt-get install mpich, or bash scripts/setup.sh --mpi"
                : $"{Variable}={name} does not load as a shared library");
        _handle = handle;
        Name = name;
        NativeLibrary.SetDllImportResolver(typeof(MPI.Communicator).Assembly, Resolve);
    }

    private static IntPtr Resolve(string library, Assembly assembly, DllImportSearchPath? path) =>
        library.Contains("mpi", StringComparison.OrdinalIgnoreCase) ? _handle : IntPtr.Zero;
}

/// <summary>MPI could not be loaded or a collective operation failed.</summary>
public sealed class MpiException(string message) : Exception(message);
