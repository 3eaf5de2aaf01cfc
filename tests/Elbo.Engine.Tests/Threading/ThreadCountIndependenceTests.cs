using Elbo.Engine.Kernels;
using Elbo.Engine.Kernels.Common;
using Elbo.Engine.Nn;
using Elbo.Engine.Optim;
using Elbo.Engine.Threading;

namespace Elbo.Engine.Tests.Threading;

/// <summary>Parallel paths (chunked reductions, Adam, batch norm, conv bias gradients) give bit-identical results for 1 and 2 threads, so a seeded run
/// does not change with the thread count of its kernels.</summary>
[Collection("GlobalSettings")]
public class ThreadCountIndependenceTests
{
    private static T WithThreads<T>(int threads, Func<T> f)
    {
        int saved = ParallelRunner.Threads;
        try
        {
            ParallelRunner.Threads = threads;
            return f();
        }
        finally { ParallelRunner.Threads = saved; }
    }

    [Theory]
    [InlineData(KernelConfig.ParallelThreshold)]
    [InlineData(200_003)]
    public void ChunkedLossSumsAreTheSameForOneAndTwoThreads(int n)
    {
        var g = new Generator(3);
        var x = Tensor.Randn(g, n);
        var t = Tensor.Uniform(g, 0f, 1f, n);
        double one = WithThreads(1, () => ReduceDriver.Sum(x.Data, t.Data, new BceWithLogitsOperator()));
        double two = WithThreads(2, () => ReduceDriver.Sum(x.Data, t.Data, new BceWithLogitsOperator()));
        Assert.Equal(one, two);
        double reference = ReduceDriver.ReferenceSum(x.Data, t.Data, new BceWithLogitsOperator());
        Assert.Equal(reference, one, reference * 1e-6);
    }

    [Fact]
    public void AdamStepsAreTheSameForOneAndTwoThreads()
    {
        float[] Run(int threads) => WithThreads(threads, () =>
        {
            var g = new Generator(4);
            var p = Tensor.Randn(g, KernelConfig.ParallelThreshold + 3 * KernelConfig.ParallelChunk / 2 + 77); // parallel path, ragged last chunk
            p.RequiresGrad = true;
            var adam = new Adam([p], lr: 1e-2);
            for (int step = 0; step < 3; step++)
            {
                adam.ZeroGrad();
                (p * p).Sum().Backward();
                adam.Step();
            }
            return p.ToArray();
        });
        Assert.Equal(Run(1), Run(2));
    }

    [Fact]
    public void BatchNormIsTheSameForOneAndTwoThreads()
    {
        // 37 images of 6 x 13 x 13: past the op's parallel threshold, cut into 8 blocks of 5 images and a last of 2
        float[][] Run(int threads) => WithThreads<float[][]>(threads, () =>
        {
            var g = new Generator(5);
            var x = Tensor.Randn(g, 37, 6, 13, 13);
            x.RequiresGrad = true;
            var w = Tensor.Uniform(g, 0.5f, 1.5f, 6);
            var b = Tensor.Randn(g, 6);
            w.RequiresGrad = b.RequiresGrad = true;
            var rm = Tensor.Zeros(6);
            var rv = Tensor.Ones(6);
            var y = Functional.BatchNormLeakyRelu(x, rm, rv, w, b, training: true);
            (y * Tensor.Randn(g, 37, 6, 13, 13)).Sum().Backward();
            return [y.ToArray(), rm.ToArray(), rv.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray()];
        });
        var one = Run(1);
        var two = Run(2);
        for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], two[i]);
    }

    [Fact]
    public void ConvBiasGradientsAreTheSameForOneAndTwoThreadsAndSumTheOutputGradient()
    {
        // dy (6, 5, 32, 32): past the sums' parallel threshold, 5 channels split unevenly over two threads
        var g = new Generator(6);
        var x = Tensor.Randn(g, 6, 3, 32, 32);
        var w = Tensor.Randn(g, 5, 3, 3, 3);
        var dy = Tensor.Randn(g, 6, 5, 32, 32);
        float[] Run(int threads) => WithThreads(threads, () =>
        {
            var b = Tensor.Zeros(5);
            b.RequiresGrad = true;
            (Functional.Conv2d(x, w, b, padding: 1) * dy).Sum().Backward();
            return b.Grad!.ToArray();
        });
        var one = Run(1);
        Assert.Equal(one, Run(2));
        for (int o = 0; o < 5; o++)
        {
            double expected = 0;
            for (int n = 0; n < 6; n++)
                for (int q = 0; q < 32 * 32; q++) expected += dy.Data[(n * 5 + o) * 1024 + q];
            Assert.Equal(expected, one[o], 1e-3);
        }
    }
}
