using System.Diagnostics;
using System.Globalization;
using Elbo.Engine.Nn;
using Elbo.Engine.Tensors;
using Tensor = Elbo.Engine.Tensors.Tensor;

namespace Elbo.Bench;

/// <summary>
/// `conv`: forward+backward timings of the PyTorch-VAE convolution blocks on 28×28 images (batch 128 by default):
/// the encoder's Conv2d 1→32 (28→14) and 32→64 (14→7), 3×3 stride 2 padding 1, and the decoder's
/// ConvTranspose2d 64→32 (7→14) and 32→32 (14→28), 3×3 stride 2 padding 1 output_padding 1, the last Conv2d 32→1
/// (28×28, stride 1 padding 1), and the BatchNorm2d + LeakyReLU after each of the first four (as two ops and as the
/// one op a Sequential runs). Each iteration runs
/// in a <see cref="TensorArena"/> step; after warm-up the median of the repetitions is printed with the GFLOPS
/// rate and the bytes allocated per iteration (target 0).
/// Options: --batch N (128), --reps N (10), --warmup N (3), --backend managed|openblas, --group-floats A,B,… (the
/// im2col group limits of ConvolutionCore measured against each other in interleaved rounds; 0 = one image per GEMM),
/// --clock cpu (processor time instead of wall time, for A/B runs with ELBO_NUM_THREADS=1 on a loaded machine).
/// </summary>
public static class ConvBench
{
    /// <summary>Runs the benchmark and prints one line per block.</summary>
    public static void Run(string[] args)
    {
        int batch = Option(args, "--batch", 128), reps = Math.Max(1, Option(args, "--reps", 10)), warmup = Option(args, "--warmup", 3);
        if (BenchArgs.Str(args, "--backend") != null) Elbo.Engine.Gemm.Blas.Backend = BenchArgs.Backends(args)[0];
        _cpuClock = BenchArgs.Str(args, "--clock") == "cpu";
        if (BenchArgs.Str(args, "--group-floats") is { } groups)
            _groupFloats = Array.ConvertAll(groups.Split(','), v => long.Parse(v, CultureInfo.InvariantCulture));
        Console.WriteLine($"conv benchmark: batch={batch}, warmup={warmup}, median of {reps} reps, threads={Elbo.Engine.Threading.ParallelRunner.Threads}, " +
            $"gemm={Elbo.Engine.Gemm.Blas.Backend}" + (_groupFloats.Length > 0 ? $", im2col group limits {string.Join(", ", _groupFloats)} floats in interleaved rounds" : ""));
        Block(batch, reps, warmup, transpose: false, inC: 1, outC: 32, size: 28, inputGrad: false);
        Block(batch, reps, warmup, transpose: false, inC: 32, outC: 64, size: 14, inputGrad: true);
        Block(batch, reps, warmup, transpose: true, inC: 64, outC: 32, size: 7, inputGrad: true);
        Block(batch, reps, warmup, transpose: true, inC: 32, outC: 32, size: 14, inputGrad: true);
        Block(batch, reps, warmup, transpose: false, inC: 32, outC: 1, size: 28, inputGrad: true, stride: 1);
        Norm(batch, reps, warmup, 32, 14);
        Norm(batch, reps, warmup, 64, 7);
        Norm(batch, reps, warmup, 32, 28);
    }

    /// <summary>BatchNorm2d (training) then LeakyReLU on (batch, c, size, size), forward and backward: the block that
    /// follows every convolution but the last.</summary>
    private static void Norm(int batch, int reps, int warmup, int c, int size)
    {
        var gen = new Generator(7);
        var x = Tensor.Randn(gen, batch, c, size, size);
        x.RequiresGrad = true;
        var weight = Tensor.Randn(gen, c);
        var bias = Tensor.Randn(gen, c);
        weight.RequiresGrad = bias.RequiresGrad = true;
        var runningMean = Tensor.Zeros(c);
        var runningVar = Tensor.Ones(c);
        var dy = Tensor.Randn(gen, batch, c, size, size);
        var arena = new TensorArena();
        double bytes = 4.0 * batch * c * size * size;
        foreach (bool fused in new[] { false, true })
        {
            double median = Median(reps, warmup, () =>
            {
                using (arena.Step())
                {
                    x.ZeroGrad();
                    weight.ZeroGrad();
                    bias.ZeroGrad();
                    var y = fused
                        ? Functional.BatchNormLeakyRelu(x, runningMean, runningVar, weight, bias, training: true)
                        : Functional.BatchNorm(x, runningMean, runningVar, weight, bias, training: true).LeakyRelu();
                    y.Backward(dy);
                }
            }, out long threadBytes, out long totalBytes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"batchnorm+leakyrelu{(fused ? " (one op)" : " (two ops)")} {c}x{size}x{size} batch={batch} fwd+bwd: {median:F2} ms ({bytes / median / 1e6:F1} GB/s of one activation), allocated/iter: {threadBytes} B (this thread), {totalBytes} B (all threads)"));
        }
    }

    private static double Median(int reps, int warmup, Action iteration, out long threadBytes, out long totalBytes)
    {
        for (int i = 0; i < warmup; i++) iteration();
        var times = new double[reps];
        long threadBefore = GC.GetAllocatedBytesForCurrentThread();
        long totalBefore = GC.GetTotalAllocatedBytes(precise: true);
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < reps; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var cpu0 = _cpuClock ? process.TotalProcessorTime : default;
            iteration();
            if (_cpuClock)
            {
                process.Refresh();
                times[i] = (process.TotalProcessorTime - cpu0).TotalMilliseconds;
            }
            else times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        threadBytes = (GC.GetAllocatedBytesForCurrentThread() - threadBefore) / reps;
        totalBytes = (GC.GetTotalAllocatedBytes(precise: true) - totalBefore) / reps;
        Array.Sort(times);
        return reps % 2 == 1 ? times[reps / 2] : 0.5 * (times[reps / 2 - 1] + times[reps / 2]);
    }

    // --group-floats: ConvolutionCore.GroupFloats values measured against each other in one run (0 = one image per GEMM)
    private static long[] _groupFloats = [];
    // --clock cpu: the process's processor time per iteration instead of wall time (for A/B runs on a loaded machine,
    // with ELBO_NUM_THREADS=1: time the process spends descheduled does not count)
    private static bool _cpuClock;

    private static void Block(int batch, int reps, int warmup, bool transpose, int inC, int outC, int size, bool inputGrad, int stride = 2)
    {
        const int k = 3, padding = 1, outputPadding = 1;
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

        long saved = Elbo.Engine.Autograd.Functions.ConvolutionCore.GroupFloats;
        var limits = _groupFloats.Length > 0 ? _groupFloats : [saved];
        var medians = new double[limits.Length];
        long threadBytes = 0, totalBytes = 0;
        var times = new List<double>[limits.Length];
        for (int v = 0; v < limits.Length; v++) times[v] = [];
        const int rounds = 5;
        for (int r = 0; r < rounds; r++)
            for (int v = 0; v < limits.Length; v++)
            {
                Elbo.Engine.Autograd.Functions.ConvolutionCore.GroupFloats = limits[v];
                times[v].Add(Median(Math.Max(1, reps / rounds), r == 0 ? warmup : 1, Iteration, out threadBytes, out totalBytes));
            }
        Elbo.Engine.Autograd.Functions.ConvolutionCore.GroupFloats = saved;
        for (int v = 0; v < limits.Length; v++) medians[v] = BenchArgs.Median([.. times[v]]);
        double median = medians[0];

        // One GEMM of 2·M·N·K flops each: forward, weight gradient, input gradient (when needed).
        int small = transpose ? size : outSize; // the side of the conv2d-equivalent output positions
        double gemm = 2.0 * batch * inC * outC * k * k * small * small;
        double flops = gemm * (inputGrad ? 3 : 2);
        string name = transpose ? "conv_transpose" : "conv";
        string extra = transpose ? " op1" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} {inC}->{outC} {size}x{size}->{outSize}x{outSize} k3 s{stride} p1{extra} batch={batch} fwd+bwd: {median:F2} ms ({flops / median / 1e6:F1} GFLOPS), allocated/iter: {threadBytes} B (this thread), {totalBytes} B (all threads)"));
        for (int v = 1; v < limits.Length; v++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  group limit {limits[v]} floats: {medians[v]:F2} ms ({flops / medians[v] / 1e6:F1} GFLOPS), {medians[0] / medians[v]:F2}x the first"));
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int v) ? v : fallback;
    }
}
