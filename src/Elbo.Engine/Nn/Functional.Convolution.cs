using Elbo.Engine.Autograd.Functions;

namespace Elbo.Engine.Nn;

public static partial class Functional
{
    /// <summary>2-D convolution (cross-correlation, as PyTorch). x (N,C,H,W), weight (O,C,kh,kw), bias (O) or null;
    /// y (N,O,(H+2p−kh)/s+1,(W+2p−kw)/s+1).</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0)
        => Conv2dFunction.Forward(x, weight, bias, stride, padding);

    /// <summary>2-D transposed convolution. x (N,C,H,W), weight (C,O,kh,kw) as PyTorch, bias (O) or null;
    /// y (N,O,(H−1)s−2p+kh+op,(W−1)s−2p+kw+op).</summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0)
        => ConvTranspose2dFunction.Forward(x, weight, bias, stride, padding, outputPadding);
}
