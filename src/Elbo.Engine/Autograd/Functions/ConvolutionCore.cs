using System.Buffers;
using Elbo.Engine.Gemm;
using Elbo.Engine.Kernels.Common;
using Elbo.Engine.Kernels.Convolution;
using Elbo.Engine.Threading;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>
/// The one convolution core that conv2d and conv_transpose2d both run. It works in the geometry <see cref="ConvGeometry"/>
/// of a conv2d: an "image side" tensor (N, C, H, W) and a "column side" tensor (N, O, OutH, OutW) joined by a weight
/// W (O, K = C·kh·kw) — conv2d's weight (O,C,kh,kw), and conv_transpose2d's (Cin,Cout,kh,kw) read as the conv2d from
/// Cout to Cin. Its products, per image n with L = OutH·OutW:
/// <code>
/// convolve    column_n (=, +=) W · im2col(image_n) (+ b)        conv2d forward, conv_transpose2d input gradient
/// adjoint     image_n  (=, +=) col2im(Wᵀ · column_n) (+ b)      conv_transpose2d forward, conv2d input gradient
/// weight grad dW (O,K) (=, +=) Σ_n column_n · im2col(image_n)ᵀ  both weight gradients, the roles of x and dy swapped
/// </code>
/// Stride-1 convolutions with at most <see cref="DirectConvolution.MaxColumnChannels"/> column-side channels (the
/// VAE's last layer, 32 → 1) skip im2col and the GEMM: <see cref="DirectConvolution"/> computes the same three products
/// from zero-padded copies of the image and the column side, which fit in cache where the im2col matrix does not.
/// The adjoint of a stride-2 3×3 convolution with padding 1 over an even image (the conv VAE's transposed layers and
/// its 14 → 7 layer's input gradient) runs one phase of the image at a time (<see cref="PhaseAdjoint"/>): four GEMMs on
/// shifted copies of the column side and one interleaving store, instead of the (K, L) GEMM and a strided col2im.
/// A <see cref="ConvolutionPass"/> names the products it wants and runs them together on one chunk of images per
/// thread, a group of images at a time (<see cref="GroupSize"/>): the group's im2col matrices sit side by side in one
/// (K, group·L) scratch matrix, made once for the products that read it, so each product is one GEMM group times wider
/// (or, for the weight gradient, deeper) than an image's. The im2col matrix is made again in backward rather than kept:
/// keeping N of them costs N·K·L floats (115 MB per step for the conv VAE's last 32-channel layer at batch 128) written
/// and read back through memory, while a recomputed group stays in cache. Each GEMM runs whole on its thread (GEMMs
/// called inside a parallel loop are not split again). Chunk t ≥ 1 sums its weight gradient into a partial that is added to chunk 0's afterwards.
/// </summary>
internal static class ConvolutionCore
{
    /// <summary>Runs <paramref name="pass"/> over the batch: scratch and weight-gradient partials come from the step's
    /// arena, so a step allocates nothing after warm-up.</summary>
    public static void Run(ref ConvolutionPass pass)
    {
        if (pass.ColumnOut == null && pass.ImageOut == null && pass.DW == null) return;
        int chunks = Chunks(pass.Batch), k = pass.G.ColRows, l = pass.G.ColCols, dwSize = pass.Channels * k;
        pass.Chunks = chunks;
        pass.Direct = DirectConvolution.Applies(pass.G, pass.Channels);
        pass.Group = GroupSize(pass.Batch, chunks, k, l);
        pass.Phases = !pass.Direct && pass.ImageOut != null && PhaseAdjoint.Applies(pass.G);
        pass.ScratchPerChunk = pass.Direct ? DirectConvolution.ScratchSize(pass.G, pass.Channels) : (k + pass.Channels) * pass.Group * l;
        if (pass.Phases)
        {
            pass.ScratchPerChunk += (int)PhaseAdjoint.ScratchSize(pass.G.Channels, pass.Channels, pass.Group * l);
            pass.PhaseWeights = Tensor.Result([PhaseAdjoint.WeightsSize(pass.G.Channels, pass.Channels)]).Storage;
            PhaseAdjoint.PackWeights(pass.W, pass.G.Channels, pass.Channels, pass.PhaseWeights);
        }
        pass.Scratch = Tensor.Result([chunks, pass.ScratchPerChunk]).Storage;
        if (pass.DW != null && chunks > 1) pass.DWPartials = Tensor.Result([chunks - 1, dwSize]).Storage;
        ParallelRunner.For(chunks, ref pass);
        if (pass.DW != null)
            for (int t = 1; t < chunks; t++)
                System.Numerics.Tensors.TensorPrimitives.Add(pass.DW.AsSpan(0, dwSize), pass.DWPartials.AsSpan((t - 1) * dwSize, dwSize), pass.DW.AsSpan(0, dwSize));
    }

    /// <summary>The backward of both ops for y = op(x, w, bias): dx, dW and db as far as they are wanted. For conv2d
    /// (<paramref name="inputIsImage"/>) x is the image side and y the column side: dx = adjoint(dy), dW from dy and
    /// im2col(x). For conv_transpose2d the sides swap: dx = convolve(dy), dW from x and im2col(dy), one im2col(dy_n)
    /// serving both. db sums dy over images and positions.</summary>
    public static void Backward(Tensor y, in ConvGeometry g, bool inputIsImage)
    {
        var x = y.In0!;
        var w = y.In1!;
        var bias = y.In2;
        var dy = y.Grad!;
        var pass = new ConvolutionPass(g, w, x.Dim(0));
        if (inputIsImage)
        {
            pass.ColumnIn = dy.Storage;
            if (w.RequiresGrad) pass.ImageIn = x.Storage;
            if (x.RequiresGrad)
            {
                pass.ImageOverwrite = x.GradTarget().Overwrite;
                pass.ImageOut = x.Grad!.Storage;
            }
        }
        else
        {
            pass.ImageIn = dy.Storage;
            pass.ColumnIn = x.Storage;
            if (x.RequiresGrad)
            {
                pass.ColumnOverwrite = x.GradTarget().Overwrite;
                pass.ColumnOut = x.Grad!.Storage;
            }
        }
        if (w.RequiresGrad)
        {
            pass.DWOverwrite = w.GradTarget().Overwrite;
            pass.DW = w.Grad!.Storage;
        }
        Run(ref pass);
        if (bias != null && bias.RequiresGrad)
            BiasGrad(bias, dy.Storage, x.Dim(0), y.Dim(1), y.Dim(2) * y.Dim(3));
    }

    /// <summary>Images per GEMM: as many as keep the side-by-side im2col matrix (K, group·L) within
    /// <see cref="GroupFloats"/>, balanced over a chunk. One image's products are small (the conv VAE's 32 → 64 layer is
    /// 64×49×288 per image, its weight gradient has depth 49), so a GEMM per image spends much of its time packing and
    /// on edge tiles; a group's products are group times wider (or deeper) while the matrix still stays in cache.</summary>
    public static int GroupSize(int batch, int chunks, int k, int l)
    {
        if (l >= WideImage) return 1;
        int perChunk = (batch + chunks - 1) / chunks;
        int most = (int)Math.Clamp(GroupFloats / Math.Max(1L, (long)k * l), 1, Math.Max(1, perChunk));
        int groups = (perChunk + most - 1) / most;
        return Math.Max(1, (perChunk + groups - 1) / groups);
    }

    /// <summary>Images with at least this many output positions run one per GEMM: their products are wide enough
    /// already, and a group would only add the gathering of its column sides (measured: the 28→14 layers gain nothing
    /// from groups, the 1 → 32 first layer loses 30 %).</summary>
    internal const int WideImage = 128;

    /// <summary>The largest im2col matrix of a group, in floats: 512 KB, half an L2 cache (measured on AMD EPYC Zen 5
    /// against 32K–256K with `bench … conv --group-floats`: best or within 6 % of the best on each of the conv VAE's
    /// stride-2 layers).</summary>
    internal static long GroupFloats = 128 * 1024;

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

    /// <summary>db (C) = Σ over images and positions of dy (N,C,plane), summed in double; assigned or added as the
    /// target says. The bias gradient of both ops (dy is column side for conv2d, image side for conv_transpose2d).
    /// Each channel adds its planes in image order, so the sums do not depend on how the channels are split.</summary>
    public static void BiasGrad(Tensor bias, float[] dy, int batch, int channels, int plane)
    {
        var g = bias.GradTarget();
        var sums = ArrayPool<double>.Shared.Rent(channels);
        try
        {
            var body = new BiasSums { DY = dy, Sums = sums, Batch = batch, Channels = channels, Plane = plane };
            body.Parts = (long)batch * channels * plane < BiasParallelFloats ? 1 : Math.Min(ParallelRunner.Threads, channels);
            if (body.Parts == 1) body.Invoke(0);
            else ParallelRunner.For(body.Parts, ref body);
            for (int o = 0; o < channels; o++)
                if (g.Overwrite) g.Span[o] = (float)sums[o];
                else g.Span[o] += (float)sums[o];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums);
        }
    }

    // below this many floats of dy the bias sums run on the caller
    private const long BiasParallelFloats = 1 << 15;

    // Part t of the channels, walked in memory order (image by image, its channels' planes one after the other): a
    // channel's planes across the batch are channels·plane floats apart, too short a run each for the prefetcher (the
    // same pattern BatchNormFunction's blocks avoid).
    private struct BiasSums : IParallelBody
    {
        public float[] DY;
        public double[] Sums;
        public int Batch, Channels, Plane, Parts;

        public readonly void Invoke(int t)
        {
            int first = (int)((long)t * Channels / Parts), end = (int)((long)(t + 1) * Channels / Parts);
            Sums.AsSpan(first, end - first).Clear();
            for (int n = 0; n < Batch; n++)
                for (int o = first; o < end; o++)
                    Sums[o] += System.Numerics.Tensors.TensorPrimitives.Sum(DY.AsSpan((n * Channels + o) * Plane, Plane));
        }
    }
}

/// <summary>One run of <see cref="ConvolutionCore"/>: the tensors it reads and the products it writes (null: not
/// wanted). Per image, in this order: im2col(<see cref="ImageIn"/>) when given; <see cref="ColumnOut"/> = W · im2col;
/// <see cref="DW"/> += <see cref="ColumnIn"/> · im2colᵀ; <see cref="ImageOut"/> = col2im(Wᵀ · <see cref="ColumnIn"/>).</summary>
internal struct ConvolutionPass : IParallelBody
{
    /// <summary>A pass of the conv2d geometry <paramref name="g"/> with weight <paramref name="weight"/> (O, …) over
    /// <paramref name="batch"/> images.</summary>
    public ConvolutionPass(in ConvGeometry g, Tensor weight, int batch)
    {
        G = g;
        W = weight.Storage;
        Channels = weight.Dim(0);
        Batch = batch;
        Scratch = [];
    }

    public readonly ConvGeometry G;
    public readonly float[] W;
    /// <summary>O: the channels of the column side (the rows of W).</summary>
    public readonly int Channels;
    public readonly int Batch;

    /// <summary>Image side (N, C, H, W), the source of im2col.</summary>
    public float[]? ImageIn;
    /// <summary>Column side (N, O, L), read by the adjoint and the weight gradient.</summary>
    public float[]? ColumnIn;
    /// <summary>Column side output: W · im2col(image_n), assigned when <see cref="ColumnOverwrite"/>, else added.</summary>
    public float[]? ColumnOut;
    public bool ColumnOverwrite;
    /// <summary>Image side output: col2im(Wᵀ · column_n), assigned when <see cref="ImageOverwrite"/>, else added.</summary>
    public float[]? ImageOut;
    public bool ImageOverwrite;
    /// <summary>Per-channel bias of the output written (forward only): the output starts at it instead of zero.</summary>
    public float[]? Bias;
    /// <summary>The weight gradient (O, K), assigned when <see cref="DWOverwrite"/>, else added.</summary>
    public float[]? DW;
    public bool DWOverwrite;

    // set by ConvolutionCore.Run
    internal float[] Scratch;
    internal float[]? DWPartials;
    internal int Chunks;
    internal bool Direct;
    // the adjoint runs per phase (PhaseAdjoint) with these packed weights
    internal bool Phases;
    internal float[]? PhaseWeights;
    internal int Group;
    internal int ScratchPerChunk;

    public void Invoke(int t)
    {
        ConvolutionCore.ChunkRange(t, Chunks, Batch, out int start, out int end);
        int o = Channels, k = G.ColRows, l = G.ColCols, img = G.ImageSize;
        var w = W.AsSpan(0, o * k);
        var scratch = Scratch.AsSpan(t * ScratchPerChunk, ScratchPerChunk);
        Span<float> dw = default;
        float dwBeta = 1f;
        if (DW != null)
        {
            dw = t == 0 ? DW.AsSpan(0, o * k) : DWPartials.AsSpan((t - 1) * o * k, o * k);
            dwBeta = t == 0 && !DWOverwrite ? 1f : 0f;
            if (start == end && dwBeta == 0f) dw.Clear();
        }
        if (Direct)
        {
            for (int n = start; n < end; n++)
            {
                InvokeDirect(n, scratch, w, dw, dwBeta);
                dwBeta = 1f;
            }
            return;
        }
        for (int n0 = start; n0 < end; n0 += Group)
        {
            // Images n0 … n0 + count − 1 side by side: cols (K, width) and the column side gathered into (O, width).
            int count = Math.Min(Group, end - n0), width = count * l;
            var cols = scratch[..(k * width)];
            var gathered = scratch.Slice(k * width, o * width);
            if (ImageIn != null)
                for (int g = 0; g < count; g++) Im2Col.Forward(ImageIn.AsSpan((n0 + g) * img, img), G, cols[(g * l)..], width);
            if (ColumnOut != null && count == 1)
            {
                // one image: its column side (O, L) is the product's own layout, so no gathering
                var y = ColumnOut.AsSpan(n0 * o * l, o * l);
                float beta = ColumnOverwrite ? 0f : 1f;
                if (Bias != null)
                {
                    ConvolutionCore.FillBias(y, Bias, o, l);
                    beta = 1f;
                }
                Blas.Sgemm(false, false, o, l, k, 1f, w, k, cols, l, beta, y, l);
            }
            else if (ColumnOut != null)
            {
                Blas.Sgemm(false, false, o, width, k, 1f, w, k, cols, width, 0f, gathered, width);
                for (int g = 0; g < count; g++)
                    for (int c = 0; c < o; c++)
                    {
                        var from = gathered.Slice(c * width + g * l, l);
                        var to = ColumnOut.AsSpan(((n0 + g) * o + c) * l, l);
                        if (Bias != null) System.Numerics.Tensors.TensorPrimitives.Add(from, Bias[c], to);
                        else if (ColumnOverwrite) from.CopyTo(to);
                        else System.Numerics.Tensors.TensorPrimitives.Add(to, from, to);
                    }
            }
            if (DW == null && ImageOut == null) continue;
            ReadOnlySpan<float> columnIn = count == 1 ? ColumnIn.AsSpan(n0 * o * l, o * l) : gathered;
            if (count > 1)
                for (int g = 0; g < count; g++)
                    for (int c = 0; c < o; c++)
                        ColumnIn.AsSpan(((n0 + g) * o + c) * l, l).CopyTo(gathered.Slice(c * width + g * l, l));
            if (DW != null)
            {
                Blas.Sgemm(false, true, o, k, width, 1f, columnIn, width, cols, width, dwBeta, dw, k);
                dwBeta = 1f;
            }
            if (ImageOut != null && Phases)
            {
                var images = ImageOut.AsSpan(n0 * img, count * img);
                PhaseAdjoint.Run(columnIn, count, PhaseWeights, G, o, scratch[((k + o) * Group * l)..], images, ImageOverwrite, Bias);
            }
            else if (ImageOut != null)
            {
                Blas.Sgemm(true, false, k, width, o, 1f, w, k, columnIn, width, 0f, cols, width);
                for (int g = 0; g < count; g++)
                {
                    var image = ImageOut.AsSpan((n0 + g) * img, img);
                    if (Bias != null) ConvolutionCore.FillBias(image, Bias, G.Channels, G.Height * G.Width);
                    else if (ImageOverwrite) image.Clear();
                    Col2Im.Accumulate(cols[(g * l)..], G, image, width);
                }
            }
        }
    }

    // The three products of image n without im2col (DirectConvolution): the scratch holds the padded image, the padded
    // (or spread) column side and one output plane in padded rows.
    private readonly void InvokeDirect(int n, Span<float> scratch, ReadOnlySpan<float> w, Span<float> dw, float dwBeta)
    {
        int o = Channels, img = G.ImageSize, col = o * G.ColCols;
        DirectConvolution.Partition(scratch, G, o, out var padded, out var columns, out var plane);
        if (ImageIn != null) DirectConvolution.PadImage(ImageIn.AsSpan(n * img, img), G, padded);
        if (ColumnOut != null)
            DirectConvolution.Forward(padded, w, Bias, G, o, ColumnOut.AsSpan(n * col, col), ColumnOverwrite, plane);
        if (DW != null)
        {
            DirectConvolution.SpreadColumns(ColumnIn.AsSpan(n * col, col), G, o, columns);
            DirectConvolution.WeightGrad(columns, padded, G, o, dw, dwBeta == 0f, KernelConfig.Best);
        }
        if (ImageOut != null)
        {
            DirectConvolution.PadColumns(ColumnIn.AsSpan(n * col, col), G, o, columns);
            DirectConvolution.Adjoint(columns, w, Bias, G, o, ImageOut.AsSpan(n * img, img), ImageOverwrite, plane);
        }
    }
}
