namespace Elbo.Engine.Kernels.Common;

/// <summary>Runs an in-place update operator over spans: the state vectors are read and rewritten, the input
/// <c>g</c> is only read (an optimizer step). Same loop, widths and parallel split as the other drivers.</summary>
public static unsafe class UpdateDriver
{
    /// <summary>(s, t) ← f(s, t, g) at the widest accelerated width; parallel from
    /// <see cref="KernelConfig.ParallelThreshold"/> elements.</summary>
    public static void Apply<TOp>(Span<float> s, Span<float> t, ReadOnlySpan<float> g, TOp op) where TOp : struct, IUpdate2Operator
        => Apply(s, t, g, op, KernelConfig.Best);

    /// <summary>At an explicit width (tests run every width).</summary>
    public static void Apply<TOp>(Span<float> s, Span<float> t, ReadOnlySpan<float> g, TOp op, KernelWidth width)
        where TOp : struct, IUpdate2Operator
    {
        LengthCheck.Same("update kernel", s.Length, t.Length, g.Length);
        fixed (float* ps = s, pt = t, pg = g)
            ElementwiseLoop.Run(new Update2Kernel<TOp>(ps, pt, pg, op), s.Length, width);
    }

    /// <summary>(s, t, u) ← f(s, t, u, g) at the widest accelerated width; parallel from
    /// <see cref="KernelConfig.ParallelThreshold"/> elements.</summary>
    public static void Apply<TOp>(Span<float> s, Span<float> t, Span<float> u, ReadOnlySpan<float> g, TOp op)
        where TOp : struct, IUpdate3Operator
        => Apply(s, t, u, g, op, KernelConfig.Best);

    /// <summary>At an explicit width (tests run every width).</summary>
    public static void Apply<TOp>(Span<float> s, Span<float> t, Span<float> u, ReadOnlySpan<float> g, TOp op, KernelWidth width)
        where TOp : struct, IUpdate3Operator
    {
        LengthCheck.Same("update kernel", s.Length, t.Length, u.Length, g.Length);
        fixed (float* ps = s, pt = t, pu = u, pg = g)
            ElementwiseLoop.Run(new Update3Kernel<TOp>(ps, pt, pu, pg, op), s.Length, width);
    }

    /// <summary>The scalar reference of the two-vector update: one element at a time through the scalar form.</summary>
    public static void Reference<TOp>(Span<float> s, Span<float> t, ReadOnlySpan<float> g, TOp op) where TOp : struct, IUpdate2Operator
    {
        LengthCheck.Same("update kernel", s.Length, t.Length, g.Length);
        for (int i = 0; i < s.Length; i++) op.Invoke(ref s[i], ref t[i], g[i]);
    }

    /// <summary>The scalar reference of the three-vector update.</summary>
    public static void Reference<TOp>(Span<float> s, Span<float> t, Span<float> u, ReadOnlySpan<float> g, TOp op)
        where TOp : struct, IUpdate3Operator
    {
        LengthCheck.Same("update kernel", s.Length, t.Length, u.Length, g.Length);
        for (int i = 0; i < s.Length; i++) op.Invoke(ref s[i], ref t[i], ref u[i], g[i]);
    }
}
