using Elbo.Engine.Threading;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>What conv2d and conv_transpose2d share: argument checks with messages naming the op and shapes, the split
/// of a batch into one contiguous chunk of images per thread, and bias helpers.</summary>
internal static class ConvolutionSupport
{
    /// <summary>Whether conv2d/conv_transpose2d put the whole batch's columns side by side and run one GEMM per
    /// product (true), or run one small GEMM per image on a chunk of images per thread (false, the default). The
    /// per-image path keeps each image's columns in cache and was 1.4-1.6x faster on the PyTorch-VAE blocks with
    /// either backend (docs/benchmarks.md); each GEMM call runs whole on its thread (GEMMs called inside a parallel loop
    /// are not split again). The batched path stays as the alternative (and is
    /// tested alike).</summary>
    internal static bool Batched;

    /// <summary>How many chunks to split <paramref name="batch"/> images into (one per thread, at most one per image).</summary>
    public static int Chunks(int batch) => Math.Max(1, Math.Min(ParallelRunner.Threads, batch));

    /// <summary>The images [start, end) of chunk <paramref name="t"/> of <paramref name="chunks"/>.</summary>
    public static void ChunkRange(int t, int chunks, int batch, out int start, out int end)
    {
        start = (int)((long)t * batch / chunks);
        end = (int)((long)(t + 1) * batch / chunks);
    }

    /// <summary>Checks ranks, stride, padding and bias; the op-specific checks are left to the caller.</summary>
    public static void CheckCommon(string op, Tensor x, Tensor weight, Tensor? bias, int biasLength, int stride, int padding)
    {
        if (x.Rank != 4)
            throw new ArgumentException($"{op}: input {x.ShapeString} must be 4-D (N,C,H,W)");
        if (weight.Rank != 4)
            throw new ArgumentException($"{op}: weight {weight.ShapeString} must be 4-D");
        if (stride < 1)
            throw new ArgumentException($"{op}: stride {stride} must be positive (input {x.ShapeString}, weight {weight.ShapeString})");
        if (padding < 0)
            throw new ArgumentException($"{op}: padding {padding} must not be negative (input {x.ShapeString}, weight {weight.ShapeString})");
        if (weight.Dim(2) < 1 || weight.Dim(3) < 1)
            throw new ArgumentException($"{op}: weight {weight.ShapeString} has an empty kernel");
        if (bias != null && (bias.Rank != 1 || bias.Dim(0) != biasLength))
            throw new ArgumentException($"{op}: bias {bias.ShapeString} does not match weight {weight.ShapeString} (need ({biasLength},))");
    }

    /// <summary>Fills each of the <paramref name="channels"/> planes of <paramref name="y"/> with its bias value.</summary>
    public static void FillBias(Span<float> y, ReadOnlySpan<float> bias, int channels, int plane)
    {
        for (int o = 0; o < channels; o++) y.Slice(o * plane, plane).Fill(bias[o]);
    }

    /// <summary>db (O) = Σ over images and positions of dy (N,O,plane); assigned or added as the target says.</summary>
    public static void BiasGrad(Tensor bias, ReadOnlySpan<float> dy, int batch, int channels, int plane)
    {
        var g = bias.GradTarget();
        for (int o = 0; o < channels; o++)
        {
            double s = 0;
            for (int n = 0; n < batch; n++)
                s += System.Numerics.Tensors.TensorPrimitives.Sum(dy.Slice((n * channels + o) * plane, plane));
            if (g.Overwrite) g.Span[o] = (float)s;
            else g.Span[o] += (float)s;
        }
    }

    /// <summary>Adds the per-chunk weight-gradient partials (chunks 1..T−1, stored in <paramref name="partials"/>)
    /// into the gradient that chunk 0 wrote directly.</summary>
    public static void ReducePartials(Span<float> grad, ReadOnlySpan<float> partials, int chunks)
    {
        int size = grad.Length;
        for (int t = 1; t < chunks; t++)
            System.Numerics.Tensors.TensorPrimitives.Add(grad, partials.Slice((t - 1) * size, size), grad);
    }
}
