namespace Elbo.Engine.Kernels.Common;

/// <summary>Runs a binary operator over spans: <c>destination = f(a, b)</c>, or <c>destination += f(a, b)</c> when
/// accumulating (backward rules: <c>dx (+)= f(x, dy)</c>). The destination may be one of the inputs.</summary>
public static unsafe class BinaryDriver
{
    /// <summary>At the widest accelerated width; parallel from <see cref="KernelConfig.ParallelThreshold"/> elements.</summary>
    public static void Apply<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, bool accumulate = false, TOp op = default)
        where TOp : struct, IBinaryOperator
        => Apply(a, b, destination, accumulate, op, KernelConfig.Best);

    /// <summary>At an explicit width (tests run every width).</summary>
    public static void Apply<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, bool accumulate, TOp op, KernelWidth width)
        where TOp : struct, IBinaryOperator
    {
        LengthCheck.Same("binary kernel", destination.Length, a.Length, b.Length);
        fixed (float* pa = a, pb = b, pd = destination)
        {
            if (accumulate) ElementwiseLoop.Run(new BinaryKernel<TOp, AccumulateMode>(pa, pb, pd, op), a.Length, width);
            else ElementwiseLoop.Run(new BinaryKernel<TOp, AssignMode>(pa, pb, pd, op), a.Length, width);
        }
    }

    /// <summary>The scalar reference: one element at a time through the operator's scalar form.</summary>
    public static void Reference<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, bool accumulate = false, TOp op = default)
        where TOp : struct, IBinaryOperator
    {
        LengthCheck.Same("binary kernel", destination.Length, a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            float r = op.Invoke(a[i], b[i]);
            destination[i] = accumulate ? destination[i] + r : r;
        }
    }
}
