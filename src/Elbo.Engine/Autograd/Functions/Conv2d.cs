using Elbo.Engine.Gemm;
using Elbo.Engine.Kernels.Convolution;
using Elbo.Engine.Threading;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>2-D convolution (cross-correlation, as PyTorch) by im2col + GEMM, one image at a time, the batch split
/// into one chunk of images per thread. The im2col matrix of an image lives in a per-thread scratch buffer and is
/// computed again in backward for the weight gradient rather than kept: keeping them costs N·C·kh·kw·Ho·Wo floats
/// (115 MB per step for the conv VAE's last layer at batch 128) written and read back through memory, while a
/// recomputed one stays in cache.</summary>
internal sealed class Conv2dFunction : Function
{
    public static readonly Conv2dFunction Instance = new();
    public override string Name => "conv2d";

    // x (N,C,H,W), w (O,C,kh,kw), bias (O) or null; y (N,O,Ho,Wo), Ho = (H+2p−kh)/s+1
    // per image: cols (C·kh·kw, Ho·Wo) = im2col(x_n); y_n (O, Ho·Wo) = W (O, C·kh·kw) · cols + b
    public static Tensor Forward(Tensor x, Tensor w, Tensor? bias, int stride, int padding)
        => Forward(x, w, bias, stride, padding, ConvolutionSupport.Batched);

    /// <summary>conv2d by the batched path (one GEMM per product for the whole batch) or the per-image path.</summary>
    public static Tensor Forward(Tensor x, Tensor w, Tensor? bias, int stride, int padding, bool batched)
    {
        if (batched) return ForwardBatched(x, w, bias, stride, padding);
        var g = Geometry(x, w, bias, stride, padding);
        int batch = x.Dim(0), outC = w.Dim(0), k = g.ColRows, l = g.ColCols;
        var y = Tensor.Result([batch, outC, g.OutH, g.OutW]);
        bool recorded = y.Record(Instance, x, w, bias);
        int chunks = ConvolutionSupport.Chunks(batch);
        var cols = Tensor.Result([chunks, k, l]);   // one scratch im2col matrix per chunk
        var body = new ForwardBody
        {
            X = x.Storage, W = w.Storage, Bias = bias?.Storage, Cols = cols.Storage, Y = y.Storage,
            G = g, OutC = outC, Batch = batch, Chunks = chunks,
        };
        ParallelRunner.For(chunks, ref body);
        if (recorded)
        {
            y.IArg0 = stride;
            y.IArg1 = padding;
        }
        return y;
    }

    // Batched: cols (K, N·L) for the whole batch; t (O, N·L) = W · cols; y (N,O,L) = t with blocks swapped + b
    private static Tensor ForwardBatched(Tensor x, Tensor w, Tensor? bias, int stride, int padding)
    {
        var g = Geometry(x, w, bias, stride, padding);
        int batch = x.Dim(0), outC = w.Dim(0), k = g.ColRows, l = g.ColCols, nl = batch * l;
        var y = Tensor.Result([batch, outC, g.OutH, g.OutW]);
        bool recorded = y.Record(Instance, x, w, bias);
        var cols = Tensor.Result([k, nl]);
        var im2col = new ConvolutionBodies.Im2ColBatch { Images = x.Storage, Cols = cols.Storage, G = g, Batch = batch };
        ParallelRunner.For(batch, ref im2col);
        var t = Tensor.Result([outC, nl]);
        Blas.Sgemm(false, false, outC, nl, k, 1f, w.Data, k, cols.Data, nl, 0f, t.Data, nl);
        var swap = new ConvolutionBodies.BlockTranspose { Src = t.Storage, Dst = y.Storage, Bias = bias?.Storage, A = outC, B = batch, L = l };
        ParallelRunner.For(batch, ref swap);
        if (recorded)
        {
            y.IArg0 = stride;
            y.IArg1 = padding;
            y.IArg2 = 1;
            if (w.RequiresGrad) y.Saved0 = cols;
        }
        return y;
    }

    // Batched: dyt (O, N·L) = dy with blocks swapped; dW = dyt · colsᵀ; dcols (K, N·L) = Wᵀ · dyt; dx_n = col2im(dcols_n)
    private static void BackwardBatched(Tensor y)
    {
        var x = y.In0!;
        var w = y.In1!;
        var bias = y.In2;
        var g = new ConvGeometry(x.Dim(1), x.Dim(2), x.Dim(3), w.Dim(2), w.Dim(3), y.IArg0, y.IArg1);
        int batch = x.Dim(0), outC = w.Dim(0), k = g.ColRows, l = g.ColCols, nl = batch * l;
        var dyt = Tensor.Result([outC, nl]);
        var swap = new ConvolutionBodies.BlockTranspose { Src = y.Grad!.Storage, Dst = dyt.Storage, A = batch, B = outC, L = l };
        ParallelRunner.For(outC, ref swap);
        if (w.RequiresGrad)
        {
            var gw = w.GradTarget();
            Blas.Sgemm(false, true, outC, k, nl, 1f, dyt.Data, nl, y.Saved0!.Data, nl, gw.Beta, gw.Span, k);
        }
        if (x.RequiresGrad)
        {
            var dcols = Tensor.Result([k, nl]);
            Blas.Sgemm(true, false, k, nl, outC, 1f, w.Data, k, dyt.Data, nl, 0f, dcols.Data, nl);
            var gx = x.GradTarget();
            var col2im = new ConvolutionBodies.Col2ImBatch { Cols = dcols.Storage, Images = x.Grad!.Storage, Overwrite = gx.Overwrite, G = g, Batch = batch };
            ParallelRunner.For(batch, ref col2im);
        }
        if (bias != null && bias.RequiresGrad)
        {
            var gb = bias.GradTarget();
            var d = dyt.Data;
            for (int o = 0; o < outC; o++)
            {
                float s = System.Numerics.Tensors.TensorPrimitives.Sum(d.Slice(o * nl, nl));
                gb.Span[o] = gb.Overwrite ? s : gb.Span[o] + s;
            }
        }
    }

    internal static ConvGeometry Geometry(Tensor x, Tensor w, Tensor? bias, int stride, int padding)
    {
        const string op = "conv2d";
        ConvolutionSupport.CheckCommon(op, x, w, bias, w.Rank == 4 ? w.Dim(0) : 0, stride, padding);
        if (x.Dim(1) != w.Dim(1))
            throw new ArgumentException($"{op}: input {x.ShapeString} and weight {w.ShapeString}: channels {x.Dim(1)} and {w.Dim(1)} differ");
        int h = x.Dim(2), wd = x.Dim(3), kh = w.Dim(2), kw = w.Dim(3);
        if (kh > h + 2 * padding || kw > wd + 2 * padding)
            throw new ArgumentException($"{op}: kernel {kh}x{kw} of weight {w.ShapeString} is larger than the padded input {h + 2 * padding}x{wd + 2 * padding} (input {x.ShapeString}, padding {padding})");
        return new ConvGeometry(x.Dim(1), h, wd, kh, kw, stride, padding);
    }

    private struct ForwardBody : IParallelBody
    {
        public float[] X, W, Cols, Y;
        public float[]? Bias;
        public ConvGeometry G;
        public int OutC, Batch, Chunks;

        public void Invoke(int t)
        {
            ConvolutionSupport.ChunkRange(t, Chunks, Batch, out int start, out int end);
            int k = G.ColRows, l = G.ColCols, img = G.ImageSize, outSize = OutC * l;
            for (int n = start; n < end; n++)
            {
                var cols = Cols.AsSpan(t * k * l, k * l);
                Im2Col.Forward(X.AsSpan(n * img, img), G, cols);
                var y = Y.AsSpan(n * outSize, outSize);
                if (Bias != null) ConvolutionSupport.FillBias(y, Bias, OutC, l);
                Blas.Sgemm(false, false, OutC, l, k, 1f, W.AsSpan(0, OutC * k), k, cols, l, Bias != null ? 1f : 0f, y, l);
            }
        }
    }

    // dW (O,K) = Σ_n dy_n (O,L) · cols_nᵀ with cols_n = im2col(x_n) again;  db = Σ dy;  dx_n = col2im(Wᵀ (K,O) · dy_n (O,L))
    public override void Backward(Tensor y)
    {
        if (y.IArg2 != 0)
        {
            BackwardBatched(y);
            return;
        }
        var x = y.In0!;
        var w = y.In1!;
        var bias = y.In2;
        var g = new ConvGeometry(x.Dim(1), x.Dim(2), x.Dim(3), w.Dim(2), w.Dim(3), y.IArg0, y.IArg1);
        int batch = x.Dim(0), outC = w.Dim(0), k = g.ColRows, l = g.ColCols;
        int chunks = ConvolutionSupport.Chunks(batch);
        var dy = y.Grad!;
        var body = new BackwardBody
        {
            X = x.Storage, W = w.Storage, DY = dy.Storage, G = g, OutC = outC, Batch = batch, Chunks = chunks,
            Scratch = Tensor.Result([chunks, k, l]).Storage,
        };
        if (w.RequiresGrad)
        {
            var gw = w.GradTarget();
            body.DW = w.Grad!.Storage;
            body.DWOverwrite = gw.Overwrite;
            if (chunks > 1) body.DWPartials = Tensor.Result([chunks - 1, outC, k]).Storage;
        }
        if (x.RequiresGrad)
        {
            var gx = x.GradTarget();
            body.DX = x.Grad!.Storage;
            body.DXOverwrite = gx.Overwrite;
        }
        ParallelRunner.For(chunks, ref body);
        if (w.RequiresGrad && chunks > 1)
            ConvolutionSupport.ReducePartials(w.Grad!.Data, body.DWPartials.AsSpan(0, (chunks - 1) * outC * k), chunks);
        if (bias != null && bias.RequiresGrad)
            ConvolutionSupport.BiasGrad(bias, dy.Data, batch, outC, l);
    }

    private struct BackwardBody : IParallelBody
    {
        public float[] X, W, DY, Scratch;
        public float[]? DW, DWPartials, DX;
        public bool DWOverwrite, DXOverwrite;
        public ConvGeometry G;
        public int OutC, Batch, Chunks;

        public void Invoke(int t)
        {
            ConvolutionSupport.ChunkRange(t, Chunks, Batch, out int start, out int end);
            int k = G.ColRows, l = G.ColCols, img = G.ImageSize, outSize = OutC * l;
            Span<float> dw = default;
            float beta = 1f;
            if (DW != null)
            {
                dw = t == 0 ? DW.AsSpan(0, OutC * k) : DWPartials.AsSpan((t - 1) * OutC * k, OutC * k);
                beta = t == 0 && !DWOverwrite ? 1f : 0f;
                if (start == end && beta == 0f) dw.Clear();
            }
            var scratch = Scratch.AsSpan(t * k * l, k * l);
            for (int n = start; n < end; n++)
            {
                var dy = DY.AsSpan(n * outSize, outSize);
                if (DW != null)
                {
                    Im2Col.Forward(X.AsSpan(n * img, img), G, scratch);
                    Blas.Sgemm(false, true, OutC, k, l, 1f, dy, l, scratch, l, beta, dw, k);
                    beta = 1f;
                }
                if (DX != null)
                {
                    Blas.Sgemm(true, false, k, l, OutC, 1f, W.AsSpan(0, OutC * k), k, dy, l, 0f, scratch, l);
                    var dx = DX.AsSpan(n * img, img);
                    if (DXOverwrite) dx.Clear();
                    Col2Im.Accumulate(scratch, G, dx);
                }
            }
        }
    }
}
