using Elbo.Engine.Threading;

namespace Elbo.Engine.Kernels.Common;

/// <summary>One position of an elementwise loop at each width: the loads, the operator and the store for element
/// <c>i</c> (scalar) or the 8 / 16 elements starting at <c>i</c>. Implemented by readonly structs over pinned
/// pointers, so the loop below is specialized and inlined for every kernel.</summary>
internal interface IElementwiseKernel
{
    void Scalar(nint i);
    void Vector256At(nint i);
    void Vector512At(nint i);
}

/// <summary>
/// The loop every elementwise driver runs, written once: a 4× unrolled main loop at the chosen width, then single
/// vectors, then (at width 512) one Vector256 step, then a scalar remainder of at most 7 elements. From
/// <see cref="KernelConfig.ParallelThreshold"/> elements the range is cut into chunks of
/// <see cref="KernelConfig.ParallelChunk"/> run by <see cref="ParallelRunner"/> (no allocation: the kernel is a struct
/// of pointers copied into the parallel body).
/// </summary>
internal static class ElementwiseLoop
{
    public static void Run<TKernel>(in TKernel kernel, int length, KernelWidth width) where TKernel : struct, IElementwiseKernel
    {
        if (length >= KernelConfig.ParallelThreshold && ParallelRunner.Threads > 1)
        {
            var body = new ChunkBody<TKernel>(kernel, length, width);
            int chunks = (length + KernelConfig.ParallelChunk - 1) / KernelConfig.ParallelChunk;
            ParallelRunner.For(chunks, ref body);
            return;
        }
        Range(kernel, 0, length, width);
    }

    public static void Range<TKernel>(in TKernel kernel, nint start, nint end, KernelWidth width) where TKernel : struct, IElementwiseKernel
    {
        // a local copy lets the JIT keep the kernel's pointers in registers across the unrolled calls
        var k = kernel;
        nint i = start;
        if (width == KernelWidth.Vector512)
        {
            for (; i <= end - 64; i += 64)
            {
                k.Vector512At(i);
                k.Vector512At(i + 16);
                k.Vector512At(i + 32);
                k.Vector512At(i + 48);
            }
            for (; i <= end - 16; i += 16) k.Vector512At(i);
            if (i <= end - 8)
            {
                k.Vector256At(i);
                i += 8;
            }
        }
        else if (width == KernelWidth.Vector256)
        {
            for (; i <= end - 32; i += 32)
            {
                k.Vector256At(i);
                k.Vector256At(i + 8);
                k.Vector256At(i + 16);
                k.Vector256At(i + 24);
            }
            for (; i <= end - 8; i += 8) k.Vector256At(i);
        }
        for (; i < end; i++) k.Scalar(i);
    }

    private readonly struct ChunkBody<TKernel> : IParallelBody where TKernel : struct, IElementwiseKernel
    {
        private readonly TKernel _kernel;
        private readonly int _length;
        private readonly KernelWidth _width;

        public ChunkBody(in TKernel kernel, int length, KernelWidth width)
        {
            _kernel = kernel;
            _length = length;
            _width = width;
        }

        public void Invoke(int index)
        {
            nint start = (nint)index * KernelConfig.ParallelChunk;
            nint end = Math.Min(start + KernelConfig.ParallelChunk, _length);
            Range(_kernel, start, end, _width);
        }
    }
}
