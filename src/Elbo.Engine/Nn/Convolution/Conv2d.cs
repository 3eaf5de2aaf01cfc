namespace Elbo.Engine.Nn;

/// <summary>A 2-D convolution layer (torch.nn.Conv2d) with a square kernel. Weight (outChannels, inChannels,
/// kernelSize, kernelSize) and bias (outChannels) are initialized as PyTorch: U(±1/√fan_in) with
/// fan_in = inChannels·kernelSize² (kaiming_uniform with a = √5).</summary>
public sealed class Conv2d : ConvolutionBase
{
    /// <summary>Creates the layer, drawing its initial weights from <paramref name="generator"/>.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Generator generator, int stride = 1, int padding = 0, bool bias = true)
        : base("conv2d", inChannels, outChannels, kernelSize, generator, stride, padding, bias, outputPadding: null)
    {
    }

    /// <inheritdoc/>
    // x (N,C,H,W), w (O,C,k,k) → y (N,O,(H+2p−k)/s+1,(W+2p−k)/s+1)
    public override Tensor Forward(Tensor x) => Functional.Conv2d(x, Weight, Bias, Stride, Padding);

    /// <inheritdoc/>
    protected override string ExtraRepr() => Repr();
}
