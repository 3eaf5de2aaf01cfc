using Elbo.Engine.Gemm;
using Elbo.Engine.Kernels.Convolution;
using Elbo.Engine.Threading;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>2-D transposed convolution (PyTorch's conv_transpose2d), computed as the adjoint of conv2d: per image,
/// cols = Wᵀ·x then col2im into the output. The batch is split into one chunk of images per thread.</summary>
internal sealed class ConvTranspose2dFunction : Function
{
    public static readonly ConvTranspose2dFunction Instance = new();
    public override string Name => "conv_transpose2d";

    // x (N,Cin,H,W), w (Cin,Cout,kh,kw), bias (Cout) or null; y (N,Cout,Ho,Wo), Ho = (H−1)s − 2p + kh + op
    // per image: cols (Cout·kh·kw, H·W) = Wᵀ (Cout·kh·kw, Cin) · x_n (Cin, H·W); y_n = col2im(cols) + b
    public static Tensor Forward(Tensor x, Tensor w, Tensor? bias, int stride, int padding, int outputPadding)
        => Forward(x, w, bias, stride, padding, outputPadding, ConvolutionSupport.Batched);

    /// <summary>conv_transpose2d by the batched path (one GEMM per product for the whole batch) or the per-image path.</summary>
    public static Tensor Forward(Tensor x, Tensor w, Tensor? bias, int stride, int padding, int outputPadding, bool batched)
    {
        if (batched) return ForwardBatched(x, w, bias, stride, padding, outputPadding);
        var g = Geometry(x, w, bias, stride, padding, outputPadding);
        int batch = x.Dim(0), inC = x.Dim(1), outC = w.Dim(1), k = g.ColRows, l = g.ColCols;
        var y = Tensor.Result([batch, outC, g.Height, g.Width]);
        int chunks = ConvolutionSupport.Chunks(batch);
        var scratch = Tensor.Result([chunks, k, l]);
        var body = new ForwardBody
        {
            X = x.Storage, W = w.Storage, Bias = bias?.Storage, Cols = scratch.Storage, Y = y.Storage,
            G = g, InC = inC, Batch = batch, Chunks = chunks,
        };
        ParallelRunner.For(chunks, ref body);
        if (y.Record(Instance, x, w, bias))
        {
            y.IArg0 = stride;
            y.IArg1 = padding;
        }
        return y;
    }

    // Batched: xt (Cin, N·L) = x with blocks swapped; cols (K, N·L) = Wᵀ · xt; y_n = col2im(cols_n) + b
    private static Tensor ForwardBatched(Tensor x, Tensor w, Tensor? bias, int stride, int padding, int outputPadding)
    {
        var g = Geometry(x, w, bias, stride, padding, outputPadding);
        int batch = x.Dim(0), inC = x.Dim(1), outC = w.Dim(1), k = g.ColRows, l = g.ColCols, nl = batch * l;
        var y = Tensor.Result([batch, outC, g.Height, g.Width]);
        bool recorded = y.Record(Instance, x, w, bias);
        var xt = Tensor.Result([inC, nl]);
        var swap = new ConvolutionBodies.BlockTranspose { Src = x.Storage, Dst = xt.Storage, A = batch, B = inC, L = l };
        ParallelRunner.For(inC, ref swap);
        var cols = Tensor.Result([k, nl]);
        Blas.Sgemm(true, false, k, nl, inC, 1f, w.Data, k, xt.Data, nl, 0f, cols.Data, nl);
        var col2im = new ConvolutionBodies.Col2ImBatch { Cols = cols.Storage, Images = y.Storage, Bias = bias?.Storage, Overwrite = true, G = g, Batch = batch };
        ParallelRunner.For(batch, ref col2im);
        if (recorded)
        {
            y.IArg0 = stride;
            y.IArg1 = padding;
            y.IArg2 = 1;
            if (w.RequiresGrad) y.Saved0 = xt;
        }
        return y;
    }

    // Batched: dcols (K, N·L) = im2col of every dy_n; dxt (Cin, N·L) = W · dcols, dx = dxt with blocks swapped;
    // dW (Cin, K) = xt · dcolsᵀ; db = Σ dy
    private static void BackwardBatched(Tensor y)
    {
        var x = y.In0!;
        var w = y.In1!;
        var bias = y.In2;
        var g = new ConvGeometry(w.Dim(1), y.Dim(2), y.Dim(3), w.Dim(2), w.Dim(3), y.IArg0, y.IArg1);
        int batch = x.Dim(0), inC = x.Dim(1), k = g.ColRows, l = g.ColCols, nl = batch * l;
        var dy = y.Grad!;
        if (x.RequiresGrad || w.RequiresGrad)
        {
            var dcols = Tensor.Result([k, nl]);
            var im2col = new ConvolutionBodies.Im2ColBatch { Images = dy.Storage, Cols = dcols.Storage, G = g, Batch = batch };
            ParallelRunner.For(batch, ref im2col);
            if (w.RequiresGrad)
            {
                var gw = w.GradTarget();
                Blas.Sgemm(false, true, inC, k, nl, 1f, y.Saved0!.Data, nl, dcols.Data, nl, gw.Beta, gw.Span, k);
            }
            if (x.RequiresGrad)
            {
                var dxt = Tensor.Result([inC, nl]);
                Blas.Sgemm(false, false, inC, nl, k, 1f, w.Data, k, dcols.Data, nl, 0f, dxt.Data, nl);
                var gx = x.GradTarget();
                var swap = new ConvolutionBodies.BlockTranspose { Src = dxt.Storage, Dst = x.Grad!.Storage, Add = !gx.Overwrite, A = inC, B = batch, L = l };
                ParallelRunner.For(batch, ref swap);
            }
        }
        if (bias != null && bias.RequiresGrad)
            ConvolutionSupport.BiasGrad(bias, dy.Data, batch, g.Channels, g.Height * g.Width);
    }

    /// <summary>The geometry of the conv2d whose adjoint this is: its "image" is the output (Cout,Ho,Wo) and its output
    /// positions are the input's H×W.</summary>
    internal static ConvGeometry Geometry(Tensor x, Tensor w, Tensor? bias, int stride, int padding, int outputPadding)
    {
        const string op = "conv_transpose2d";
        ConvolutionSupport.CheckCommon(op, x, w, bias, w.Rank == 4 ? w.Dim(1) : 0, stride, padding);
        if (x.Dim(1) != w.Dim(0))
            throw new ArgumentException($"{op}: input {x.ShapeString} and weight {w.ShapeString}: channels {x.Dim(1)} and {w.Dim(0)} differ (weight is (Cin,Cout,kh,kw))");
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentException($"{op}: output_padding {outputPadding} must be in [0, stride {stride}) (input {x.ShapeString}, weight {w.ShapeString})");
        int h = x.Dim(2), wd = x.Dim(3), kh = w.Dim(2), kw = w.Dim(3);
        int outH = (h - 1) * stride - 2 * padding + kh + outputPadding;
        int outW = (wd - 1) * stride - 2 * padding + kw + outputPadding;
        if (h < 1 || wd < 1 || outH < 1 || outW < 1)
            throw new ArgumentException($"{op}: input {x.ShapeString} with weight {w.ShapeString}, stride {stride}, padding {padding}, output_padding {outputPadding} gives an empty output {outH}x{outW}");
        return new ConvGeometry(w.Dim(1), outH, outW, kh, kw, stride, padding);
    }

    private struct ForwardBody : IParallelBody
    {
        public float[] X, W, Cols, Y;
        public float[]? Bias;
        public ConvGeometry G;
        public int InC, Batch, Chunks;

        public void Invoke(int t)
        {
            ConvolutionSupport.ChunkRange(t, Chunks, Batch, out int start, out int end);
            int k = G.ColRows, l = G.ColCols, img = G.ImageSize, inSize = InC * l;
            var cols = Cols.AsSpan(t * k * l, k * l);
            for (int n = start; n < end; n++)
            {
                Blas.Sgemm(true, false, k, l, InC, 1f, W.AsSpan(0, InC * k), k, X.AsSpan(n * inSize, inSize), l, 0f, cols, l);
                var y = Y.AsSpan(n * img, img);
                if (Bias != null) ConvolutionSupport.FillBias(y, Bias, G.Channels, G.Height * G.Width);
                else y.Clear();
                Col2Im.Accumulate(cols, G, y);
            }
        }
    }

    // per image: cols (K, H·W) = im2col(dy_n); dx_n (Cin, H·W) = W (Cin,K) · cols; dW (Cin,K) += x_n · colsᵀ; db = Σ dy
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
        var g = new ConvGeometry(w.Dim(1), y.Dim(2), y.Dim(3), w.Dim(2), w.Dim(3), y.IArg0, y.IArg1);
        int batch = x.Dim(0), inC = x.Dim(1), k = g.ColRows, l = g.ColCols;
        int chunks = ConvolutionSupport.Chunks(batch);
        var dy = y.Grad!;
        var body = new BackwardBody
        {
            X = x.Storage, W = w.Storage, DY = dy.Storage, G = g, InC = inC, Batch = batch, Chunks = chunks,
        };
        if (w.RequiresGrad || x.RequiresGrad) body.Cols = Tensor.Result([chunks, k, l]).Storage;
        if (w.RequiresGrad)
        {
            var gw = w.GradTarget();
            body.DW = w.Grad!.Storage;
            body.DWOverwrite = gw.Overwrite;
            if (chunks > 1) body.DWPartials = Tensor.Result([chunks - 1, inC, k]).Storage;
        }
        if (x.RequiresGrad)
        {
            var gx = x.GradTarget();
            body.DX = x.Grad!.Storage;
            body.DXOverwrite = gx.Overwrite;
        }
        ParallelRunner.For(chunks, ref body);
        if (w.RequiresGrad && chunks > 1)
            ConvolutionSupport.ReducePartials(w.Grad!.Data, body.DWPartials.AsSpan(0, (chunks - 1) * inC * k), chunks);
        if (bias != null && bias.RequiresGrad)
            ConvolutionSupport.BiasGrad(bias, dy.Data, batch, g.Channels, g.Height * g.Width);
    }

    private struct BackwardBody : IParallelBody
    {
        public float[] X, W, DY;
        public float[]? DW, DWPartials, Cols, DX;
        public bool DWOverwrite, DXOverwrite;
        public ConvGeometry G;
        public int InC, Batch, Chunks;

        public void Invoke(int t)
        {
            if (DW == null && DX == null) return;
            ConvolutionSupport.ChunkRange(t, Chunks, Batch, out int start, out int end);
            int k = G.ColRows, l = G.ColCols, img = G.ImageSize, inSize = InC * l;
            Span<float> dw = default;
            float beta = 1f;
            if (DW != null)
            {
                dw = t == 0 ? DW.AsSpan(0, InC * k) : DWPartials.AsSpan((t - 1) * InC * k, InC * k);
                beta = t == 0 && !DWOverwrite ? 1f : 0f;
                if (start == end && beta == 0f) dw.Clear();
            }
            var cols = Cols.AsSpan(t * k * l, k * l);
            var w = W.AsSpan(0, InC * k);
            for (int n = start; n < end; n++)
            {
                Im2Col.Forward(DY.AsSpan(n * img, img), G, cols);
                if (DX != null)
                    Blas.Sgemm(false, false, InC, l, k, 1f, w, k, cols, l, DXOverwrite ? 0f : 1f, DX.AsSpan(n * inSize, inSize), l);
                if (DW != null)
                {
                    Blas.Sgemm(false, true, InC, k, l, 1f, X.AsSpan(n * inSize, inSize), l, cols, l, beta, dw, k);
                    beta = 1f;
                }
            }
        }
    }
}
