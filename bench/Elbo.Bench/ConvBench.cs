using System.Diagnostics;
using System.Globalization;
using Elbo.Engine.Nn;
using Elbo.Engine.Tensors;
using Tensor = Elbo.Engine.Tensors.Tensor;

namespace Elbo.Bench;

/// <summary>
/// `conv`: forward+backward timings of the PyTorch-VAE convolution blocks on 28×28 images (batch 128 by default):
/// the encoder's Conv2d 1→32 (28→14) and 32→64 (14→7), 3×3 stride 2 padding 1, and the decoder's
/// ConvTranspose2d 64→32 (7→14) and 32→32 (14→28), 3×3 stride 2 padding 1 output_padding 1. Each iteration runs
/// in a <see cref="TensorArena"/> step; after warm-up the median of the repetitions is printed with the GFLOPS
/// rate and the bytes allocated per iteration (target 0).
/// Options: --batch N (128), --reps N (10), --warmup N (3).
/// </summary>
public static class ConvBench
{
    /// <summary>Runs the benchmark and prints one line per block.</summary>
    public static void Run(string[] args)
    {
        int batch = Option(args, "--batch", 128), reps = Math.Max(1, Option(args, "--reps", 10)), warmup = Option(args, "--warmup", 3);
        Console.WriteLine($"conv benchmark: batch={batch}, warmup={warmup}, median of {reps} reps, threads={Elbo.Engine.Threading.ParallelRunner.Threads}, " +
            $"gemm={Elbo.Engine.Gemm.Blas.Backend}");
        Block(batch, reps, warmup, transpose: false, inC: 1, outC: 32, size: 28, inputGrad: false);
        Block(batch, reps, warmup, transpose: false, inC: 32, outC: 64, size: 14, inputGrad: true);
        Block(batch, reps, warmup, transpose: true, inC: 64, outC: 32, size: 7, inputGrad: true);
        Block(batch, reps, warmup, transpose: true, inC: 32, outC: 32, size: 14, inputGrad: true);
    }

    private static void Block(int batch, int reps, int warmup, bool transpose, int inC, int outC, int size, bool inputGrad)
    {
        const int k = 3, stride = 2, padding = 1, outputPadding = 1;
        var gen = new Generator(42);
        var x = Tensor.Randn(gen, batch, inC, size, size);
        x.RequiresGrad = inputGrad;
        var w = transpose ? Tensor.Randn(gen, inC, outC, k, k) : Tensor.Randn(gen, outC, inC, k, k);
        var b = Tensor.Randn(gen, outC);
        w.RequiresGrad = b.RequiresGrad = true;
        int outSize = transpose ? (size - 1) * stride - 2 * padding + k + outputPadding : (size + 2 * padding - k) / stride + 1;
        var dy = Tensor.Randn(gen, batch, outC, outSize, outSize);
        var arena = new TensorArena();

        void Iteration()
        {
            using (arena.Step())
            {
                x.ZeroGrad();
                w.ZeroGrad();
                b.ZeroGrad();
                var y = transpose
                    ? Functional.ConvTranspose2d(x, w, b, stride, padding, outputPadding)
                    : Functional.Conv2d(x, w, b, stride, padding);
                y.Backward(dy);
            }
        }

        for (int i = 0; i < warmup; i++) Iteration();
        var times = new double[reps];
        long threadBefore = GC.GetAllocatedBytesForCurrentThread();
        long totalBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < reps; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Iteration();
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        long threadBytes = (GC.GetAllocatedBytesForCurrentThread() - threadBefore) / reps;
        long totalBytes = (GC.GetTotalAllocatedBytes(precise: true) - totalBefore) / reps;
        Array.Sort(times);
        double median = reps % 2 == 1 ? times[reps / 2] : 0.5 * (times[reps / 2 - 1] + times[reps / 2]);

        // One GEMM of 2·M·N·K flops each: forward, weight gradient, input gradient (when needed).
        int small = transpose ? size : outSize; // the side of the conv2d-equivalent output positions
        double gemm = 2.0 * batch * inC * outC * k * k * small * small;
        double flops = gemm * (inputGrad ? 3 : 2);
        string name = transpose ? "conv_transpose" : "conv";
        string extra = transpose ? " op1" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} {inC}->{outC} {size}x{size}->{outSize}x{outSize} k3 s2 p1{extra} batch={batch} fwd+bwd: {median:F2} ms ({flops / median / 1e6:F1} GFLOPS), allocated/iter: {threadBytes} B (this thread), {totalBytes} B (all threads)"));
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int v) ? v : fallback;
    }
}
