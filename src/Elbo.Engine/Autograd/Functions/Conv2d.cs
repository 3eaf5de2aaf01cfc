using Elbo.Engine.Kernels.Convolution;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>2-D convolution (cross-correlation, as PyTorch) by im2col + GEMM on <see cref="ConvolutionCore"/>: its
/// forward is the core's convolve product, its input gradient the adjoint (which is conv_transpose2d's forward).</summary>
internal sealed class Conv2dFunction : Function
{
    public static readonly Conv2dFunction Instance = new();
    public override string Name => "conv2d";

    // x (N,C,H,W), w (O,C,kh,kw), bias (O) or null; y (N,O,Ho,Wo), Ho = (H+2p−kh)/s+1
    // per image: y_n (O, Ho·Wo) = W (O, C·kh·kw) · im2col(x_n) + b
    public static Tensor Forward(Tensor x, Tensor w, Tensor? bias, int stride, int padding)
    {
        var g = Geometry(x, w, bias, stride, padding);
        int batch = x.Dim(0);
        var y = Tensor.Result([batch, w.Dim(0), g.OutH, g.OutW]);
        if (y.Record(Instance, x, w, bias))
        {
            y.IArg0 = stride;
            y.IArg1 = padding;
        }
        var pass = new ConvolutionPass(g, w, batch) { ImageIn = x.Storage, ColumnOut = y.Storage, ColumnOverwrite = true, Bias = bias?.Storage };
        ConvolutionCore.Run(ref pass);
        return y;
    }

    // dW (O,K) = Σ_n dy_n (O,L) · im2col(x_n)ᵀ;  dx_n = col2im(Wᵀ (K,O) · dy_n (O,L));  db = Σ dy
    public override void Backward(Tensor y)
    {
        Tensor x = y.In0!, w = y.In1!;
        ConvolutionCore.Backward(y, new ConvGeometry(x.Dim(1), x.Dim(2), x.Dim(3), w.Dim(2), w.Dim(3), y.IArg0, y.IArg1), inputIsImage: true);
    }

    internal static ConvGeometry Geometry(Tensor x, Tensor w, Tensor? bias, int stride, int padding)
    {
        const string op = "conv2d";
        ConvolutionCore.CheckCommon(op, x, w, bias, w.Rank == 4 ? w.Dim(0) : 0, stride, padding);
        if (x.Dim(1) != w.Dim(1))
            throw new ArgumentException($"{op}: input {x.ShapeString} and weight {w.ShapeString}: channels {x.Dim(1)} and {w.Dim(1)} differ");
        int h = x.Dim(2), wd = x.Dim(3), kh = w.Dim(2), kw = w.Dim(3);
        if (kh > h + 2 * padding || kw > wd + 2 * padding)
            throw new ArgumentException($"{op}: kernel {kh}x{kw} of weight {w.ShapeString} is larger than the padded input {h + 2 * padding}x{wd + 2 * padding} (input {x.ShapeString}, padding {padding})");
        return new ConvGeometry(x.Dim(1), h, wd, kh, kw, stride, padding);
    }
}
