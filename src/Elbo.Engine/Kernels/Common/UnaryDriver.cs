namespace Elbo.Engine.Kernels.Common;

/// <summary>Runs a unary operator over spans: <c>destination = f(x)</c>, or <c>destination += f(x)</c> when
/// accumulating. In place (x and destination the same span) is allowed.</summary>
public static unsafe class UnaryDriver
{
    /// <summary>At the widest accelerated width; parallel from <see cref="KernelConfig.ParallelThreshold"/> elements.</summary>
    public static void Apply<TOp>(ReadOnlySpan<float> x, Span<float> destination, bool accumulate = false, TOp op = default)
        where TOp : struct, IUnaryOperator
        => Apply(x, destination, accumulate, op, KernelConfig.Best);

    /// <summary>At an explicit width (tests run every width).</summary>
    public static void Apply<TOp>(ReadOnlySpan<float> x, Span<float> destination, bool accumulate, TOp op, KernelWidth width)
        where TOp : struct, IUnaryOperator
    {
        LengthCheck.Same("unary kernel", destination.Length, x.Length);
        fixed (float* px = x, pd = destination)
        {
            if (accumulate) ElementwiseLoop.Run(new UnaryKernel<TOp, AccumulateMode>(px, pd, op), x.Length, width);
            else ElementwiseLoop.Run(new UnaryKernel<TOp, AssignMode>(px, pd, op), x.Length, width);
        }
    }

    /// <summary>The scalar reference: one element at a time through the operator's scalar form.</summary>
    public static void Reference<TOp>(ReadOnlySpan<float> x, Span<float> destination, bool accumulate = false, TOp op = default)
        where TOp : struct, IUnaryOperator
    {
        LengthCheck.Same("unary kernel", destination.Length, x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            float r = op.Invoke(x[i]);
            destination[i] = accumulate ? destination[i] + r : r;
        }
    }
}
