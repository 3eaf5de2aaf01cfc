using Elbo.Engine.Kernels.Convolution;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>2-D transposed convolution (PyTorch's conv_transpose2d) as the adjoint of conv2d on
/// <see cref="ConvolutionCore"/>: in the geometry of the conv2d from Cout to Cin whose "image" is this op's output,
/// the forward is the core's adjoint product and the input gradient its convolve product (conv2d's forward).</summary>
internal sealed class ConvTranspose2dFunction : Function
{
    public static readonly ConvTranspose2dFunction Instance = new();
    public override string Name => "conv_transpose2d";

    // x (N,Cin,H,W), w (Cin,Cout,kh,kw), bias (Cout) or null; y (N,Cout,Ho,Wo), Ho = (H−1)s − 2p + kh + op
    // per image: y_n = col2im(Wᵀ (Cout·kh·kw, Cin) · x_n (Cin, H·W)) + b
    public static Tensor Forward(Tensor x, Tensor w, Tensor? bias, int stride, int padding, int outputPadding)
    {
        var g = Geometry(x, w, bias, stride, padding, outputPadding);
        int batch = x.Dim(0);
        var y = Tensor.Result([batch, w.Dim(1), g.Height, g.Width]);
        var pass = new ConvolutionPass(g, w, batch) { ColumnIn = x.Storage, ImageOut = y.Storage, ImageOverwrite = true, Bias = bias?.Storage };
        ConvolutionCore.Run(ref pass);
        if (y.Record(Instance, x, w, bias))
        {
            y.IArg0 = stride;
            y.IArg1 = padding;
        }
        return y;
    }

    // per image, one im2col(dy_n) for both: dx_n (Cin, H·W) = W (Cin,K) · im2col(dy_n); dW (Cin,K) += x_n · im2col(dy_n)ᵀ; db = Σ dy
    public override void Backward(Tensor y)
    {
        var w = y.In1!;
        ConvolutionCore.Backward(y, new ConvGeometry(w.Dim(1), y.Dim(2), y.Dim(3), w.Dim(2), w.Dim(3), y.IArg0, y.IArg1), inputIsImage: false);
    }

    /// <summary>The geometry of the conv2d whose adjoint this is: its "image" is the output (Cout,Ho,Wo) and its output
    /// positions are the input's H×W.</summary>
    internal static ConvGeometry Geometry(Tensor x, Tensor w, Tensor? bias, int stride, int padding, int outputPadding)
    {
        const string op = "conv_transpose2d";
        ConvolutionCore.CheckCommon(op, x, w, bias, w.Rank == 4 ? w.Dim(1) : 0, stride, padding);
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
}
