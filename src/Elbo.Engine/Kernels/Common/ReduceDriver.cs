using System.Numerics.Tensors;

namespace Elbo.Engine.Kernels.Common;

/// <summary>Σ f(...) over spans without materializing f: the elementwise values are computed a block at a time
/// into a stack buffer by the elementwise drivers and summed (block sums accumulated in double).</summary>
public static class ReduceDriver
{
    private const int Block = 1024;

    /// <summary>Σ_i f(a_i, b_i).</summary>
    public static double Sum<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, TOp op = default) where TOp : struct, IBinaryOperator
    {
        LengthCheck.Same("binary reduction", a.Length, a.Length, b.Length);
        Span<float> buffer = stackalloc float[Block];
        double total = 0;
        for (int start = 0; start < a.Length; start += Block)
        {
            int n = Math.Min(Block, a.Length - start);
            var part = buffer[..n];
            BinaryDriver.Apply(a.Slice(start, n), b.Slice(start, n), part, false, op);
            total += TensorPrimitives.Sum<float>(part);
        }
        return total;
    }

    /// <summary>Σ_i f(a_i, b_i, c_i).</summary>
    public static double Sum<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, TOp op = default) where TOp : struct, ITernaryOperator
    {
        LengthCheck.Same("ternary reduction", a.Length, a.Length, b.Length, c.Length);
        Span<float> buffer = stackalloc float[Block];
        double total = 0;
        for (int start = 0; start < a.Length; start += Block)
        {
            int n = Math.Min(Block, a.Length - start);
            var part = buffer[..n];
            TernaryDriver.Apply(a.Slice(start, n), b.Slice(start, n), c.Slice(start, n), part, false, op);
            total += TensorPrimitives.Sum<float>(part);
        }
        return total;
    }

    /// <summary>The scalar reference of the binary sum (double accumulation).</summary>
    public static double ReferenceSum<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, TOp op = default) where TOp : struct, IBinaryOperator
    {
        LengthCheck.Same("binary reduction", a.Length, a.Length, b.Length);
        double total = 0;
        for (int i = 0; i < a.Length; i++) total += op.Invoke(a[i], b[i]);
        return total;
    }

    /// <summary>The scalar reference of the ternary sum (double accumulation).</summary>
    public static double ReferenceSum<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, TOp op = default) where TOp : struct, ITernaryOperator
    {
        LengthCheck.Same("ternary reduction", a.Length, a.Length, b.Length, c.Length);
        double total = 0;
        for (int i = 0; i < a.Length; i++) total += op.Invoke(a[i], b[i], c[i]);
        return total;
    }
}
