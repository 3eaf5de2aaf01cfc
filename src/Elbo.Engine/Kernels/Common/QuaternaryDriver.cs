namespace Elbo.Engine.Kernels.Common;

/// <summary>Runs a four-input operator over spans: <c>destination (+)= f(a, b, c, e)</c> (a three-input loss
/// gradient times the upstream gradient <c>e</c>).</summary>
public static unsafe class QuaternaryDriver
{
    /// <summary>At the widest accelerated width; parallel from <see cref="KernelConfig.ParallelThreshold"/> elements.</summary>
    public static void Apply<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, ReadOnlySpan<float> e,
        Span<float> destination, bool accumulate = false, TOp op = default)
        where TOp : struct, IQuaternaryOperator
        => Apply(a, b, c, e, destination, accumulate, op, KernelConfig.Best);

    /// <summary>At an explicit width (tests run every width).</summary>
    public static void Apply<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, ReadOnlySpan<float> e,
        Span<float> destination, bool accumulate, TOp op, KernelWidth width)
        where TOp : struct, IQuaternaryOperator
    {
        LengthCheck.Same("quaternary kernel", destination.Length, a.Length, b.Length, c.Length, e.Length);
        fixed (float* pa = a, pb = b, pc = c, pe = e, pd = destination)
        {
            if (accumulate) ElementwiseLoop.Run(new QuaternaryKernel<TOp, AccumulateMode>(pa, pb, pc, pe, pd, op), a.Length, width);
            else ElementwiseLoop.Run(new QuaternaryKernel<TOp, AssignMode>(pa, pb, pc, pe, pd, op), a.Length, width);
        }
    }

    /// <summary>The scalar reference: one element at a time through the operator's scalar form.</summary>
    public static void Reference<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, ReadOnlySpan<float> e,
        Span<float> destination, bool accumulate = false, TOp op = default)
        where TOp : struct, IQuaternaryOperator
    {
        LengthCheck.Same("quaternary kernel", destination.Length, a.Length, b.Length, c.Length, e.Length);
        for (int i = 0; i < a.Length; i++)
        {
            float r = op.Invoke(a[i], b[i], c[i], e[i]);
            destination[i] = accumulate ? destination[i] + r : r;
        }
    }
}
