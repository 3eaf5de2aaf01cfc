using System.Runtime.Intrinsics;

namespace Elbo.Engine.Kernels.Common;

/// <summary>The vector width a driver runs with. <see cref="KernelConfig.Best"/> is what the hardware accelerates; tests pass
/// the narrower widths explicitly so every path is checked on any machine.</summary>
public enum KernelWidth
{
    /// <summary>One element at a time (the reference loop).</summary>
    Scalar = 1,
    /// <summary>Vector256 main loop, scalar remainder.</summary>
    Vector256 = 8,
    /// <summary>Vector512 main loop, then one Vector256 step, then a scalar remainder.</summary>
    Vector512 = 16,
}

/// <summary>Tuning constants of the elementwise drivers, in one place.</summary>
public static class KernelConfig
{
    /// <summary>Element count from which a driver splits its loop over <see cref="Threading.ParallelRunner"/>.</summary>
    public const int ParallelThreshold = 1 << 16;

    /// <summary>Elements per parallel work item (a multiple of 64, so chunks keep the unrolled vector loop).</summary>
    public const int ParallelChunk = 1 << 14;

    /// <summary>The widest width the hardware accelerates.</summary>
    public static readonly KernelWidth Best =
        Vector512.IsHardwareAccelerated ? KernelWidth.Vector512 :
        Vector256.IsHardwareAccelerated ? KernelWidth.Vector256 : KernelWidth.Scalar;
}
