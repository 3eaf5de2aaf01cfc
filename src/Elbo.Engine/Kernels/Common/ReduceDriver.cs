using System.Numerics.Tensors;
using Elbo.Engine.Threading;

namespace Elbo.Engine.Kernels.Common;

/// <summary>Σ f(...) over spans without materializing f: the elementwise values are computed a block at a time
/// into a stack buffer by the elementwise drivers and summed (block sums accumulated in double). From
/// <see cref="KernelConfig.ParallelThreshold"/> elements the spans are cut into chunks (of
/// <see cref="KernelConfig.ParallelChunk"/> elements or more) fixed by the length alone, whose sums are computed in
/// parallel and added in chunk order, so the result does not depend on the thread count.</summary>
public static class ReduceDriver
{
    private const int Block = 1024;
    private const int MaxChunks = 2048;

    // Chunks depend only on the length (never on the thread count), so the sum is the same for any thread count.
    private static int ChunkSize(int length)
        => Math.Max(KernelConfig.ParallelChunk, (length / MaxChunks + Block) / Block * Block);

    /// <summary>Σ_i f(a_i, b_i).</summary>
    public static unsafe double Sum<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, TOp op = default) where TOp : struct, IBinaryOperator
    {
        LengthCheck.Same("binary reduction", a.Length, a.Length, b.Length);
        if (a.Length >= KernelConfig.ParallelThreshold)
        {
            int chunk = ChunkSize(a.Length);
            int chunks = (a.Length + chunk - 1) / chunk;
            double* partial = stackalloc double[chunks];
            fixed (float* pa = a, pb = b)
            {
                var body = new BinaryChunks<TOp> { A = pa, B = pb, Length = a.Length, Chunk = chunk, Partial = partial, Op = op };
                ParallelRunner.For(chunks, ref body);
            }
            double total = 0;
            for (int i = 0; i < chunks; i++) total += partial[i];
            return total;
        }
        return SerialSum(a, b, op);
    }

    private unsafe struct BinaryChunks<TOp> : IParallelBody where TOp : struct, IBinaryOperator
    {
        public float* A, B;
        public int Length, Chunk;
        public double* Partial;
        public TOp Op;

        public void Invoke(int index)
        {
            int start = index * Chunk;
            int n = Math.Min(Chunk, Length - start);
            Partial[index] = SerialSum(new ReadOnlySpan<float>(A + start, n), new ReadOnlySpan<float>(B + start, n), Op);
        }
    }

    private static double SerialSum<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, TOp op) where TOp : struct, IBinaryOperator
    {
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
    public static unsafe double Sum<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, TOp op = default) where TOp : struct, ITernaryOperator
    {
        LengthCheck.Same("ternary reduction", a.Length, a.Length, b.Length, c.Length);
        if (a.Length >= KernelConfig.ParallelThreshold)
        {
            int chunk = ChunkSize(a.Length);
            int chunks = (a.Length + chunk - 1) / chunk;
            double* partial = stackalloc double[chunks];
            fixed (float* pa = a, pb = b, pc = c)
            {
                var body = new TernaryChunks<TOp> { A = pa, B = pb, C = pc, Length = a.Length, Chunk = chunk, Partial = partial, Op = op };
                ParallelRunner.For(chunks, ref body);
            }
            double total = 0;
            for (int i = 0; i < chunks; i++) total += partial[i];
            return total;
        }
        return SerialSum(a, b, c, op);
    }

    private unsafe struct TernaryChunks<TOp> : IParallelBody where TOp : struct, ITernaryOperator
    {
        public float* A, B, C;
        public int Length, Chunk;
        public double* Partial;
        public TOp Op;

        public void Invoke(int index)
        {
            int start = index * Chunk;
            int n = Math.Min(Chunk, Length - start);
            Partial[index] = SerialSum(new ReadOnlySpan<float>(A + start, n), new ReadOnlySpan<float>(B + start, n),
                new ReadOnlySpan<float>(C + start, n), Op);
        }
    }

    private static double SerialSum<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, TOp op) where TOp : struct, ITernaryOperator
    {
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
