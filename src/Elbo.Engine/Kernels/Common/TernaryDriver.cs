namespace Elbo.Engine.Kernels.Common;

/// <summary>Runs a ternary operator over spans: <c>destination (+)= f(a, b, c)</c>.</summary>
public static unsafe class TernaryDriver
{
    /// <summary>At the widest accelerated width; parallel from <see cref="KernelConfig.ParallelThreshold"/> elements.</summary>
    public static void Apply<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> destination,
        bool accumulate = false, TOp op = default)
        where TOp : struct, ITernaryOperator
        => Apply(a, b, c, destination, accumulate, op, KernelConfig.Best);

    /// <summary>At an explicit width (tests run every width).</summary>
    public static void Apply<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> destination,
        bool accumulate, TOp op, KernelWidth width)
        where TOp : struct, ITernaryOperator
    {
        LengthCheck.Same("ternary kernel", destination.Length, a.Length, b.Length, c.Length);
        fixed (float* pa = a, pb = b, pc = c, pd = destination)
        {
            if (accumulate) ElementwiseLoop.Run(new TernaryKernel<TOp, AccumulateMode>(pa, pb, pc, pd, op), a.Length, width);
            else ElementwiseLoop.Run(new TernaryKernel<TOp, AssignMode>(pa, pb, pc, pd, op), a.Length, width);
        }
    }

    /// <summary>The scalar reference: one element at a time through the operator's scalar form.</summary>
    public static void Reference<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> destination,
        bool accumulate = false, TOp op = default)
        where TOp : struct, ITernaryOperator
    {
        LengthCheck.Same("ternary kernel", destination.Length, a.Length, b.Length, c.Length);
        for (int i = 0; i < a.Length; i++)
        {
            float r = op.Invoke(a[i], b[i], c[i]);
            destination[i] = accumulate ? destination[i] + r : r;
        }
    }
}
