using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Elbo.Engine.Kernels.Common;

/// <summary>
/// The operations of one SIMD register of floats, generic over <c>TV</c> = <see cref="Vector256{T}"/> or
/// <see cref="Vector512{T}"/> of float, for a kernel whose loop is the same at every width and should be written once.
/// A kernel generic over <c>TV</c> is compiled once per width, and in each the <c>typeof</c> tests fold away, leaving
/// the plain Vector256 or Vector512 instructions. Tests run the Vector512 instantiation on any machine: where it is
/// not accelerated the runtime emulates it, with the same results.
/// <para>Not a struct wrapper behind an interface with static abstract members: the JIT kept such wrappers on the
/// stack (every FMA stored its sum; the kernel ran 4× slower), and so it did with <c>Unsafe.As</c> reinterpreting
/// them, which takes their address. The casts through <c>object</c> are the pattern it recognises and removes,
/// boxing nothing.</para>
/// </summary>
internal static class Lanes
{
    /// <summary>Floats in one <typeparamref name="TV"/>.</summary>
    public static int Count<TV>() where TV : struct
        => typeof(TV) == typeof(Vector256<float>) ? Vector256<float>.Count : Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Load<TV>(ref float at) where TV : struct
        => typeof(TV) == typeof(Vector256<float>) ? (TV)(object)Vector256.LoadUnsafe(ref at) : (TV)(object)Vector512.LoadUnsafe(ref at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TV>(TV v, ref float at) where TV : struct
    {
        if (typeof(TV) == typeof(Vector256<float>)) ((Vector256<float>)(object)v).StoreUnsafe(ref at);
        else ((Vector512<float>)(object)v).StoreUnsafe(ref at);
    }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Broadcast<TV>(float value) where TV : struct
        => typeof(TV) == typeof(Vector256<float>) ? (TV)(object)Vector256.Create(value) : (TV)(object)Vector512.Create(value);

    /// <summary>a · b + c, fused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV FusedMultiplyAdd<TV>(TV a, TV b, TV c) where TV : struct
        => typeof(TV) == typeof(Vector256<float>)
            ? (TV)(object)Vector256.FusedMultiplyAdd((Vector256<float>)(object)a, (Vector256<float>)(object)b, (Vector256<float>)(object)c)
            : (TV)(object)Vector512.FusedMultiplyAdd((Vector512<float>)(object)a, (Vector512<float>)(object)b, (Vector512<float>)(object)c);

    /// <summary>The sum of the lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum<TV>(TV v) where TV : struct
        => typeof(TV) == typeof(Vector256<float>) ? Vector256.Sum((Vector256<float>)(object)v) : Vector512.Sum((Vector512<float>)(object)v);
}
