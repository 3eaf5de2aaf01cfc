using System.Globalization;

namespace Elbo.Engine.Nn;

/// <summary>A 2-D transposed convolution layer (torch.nn.ConvTranspose2d) with a square kernel. Weight
/// (inChannels, outChannels, kernelSize, kernelSize) as PyTorch; weight and bias are initialized as PyTorch:
/// U(±1/√fan_in) where fan_in is computed from weight dimension 1, i.e. outChannels·kernelSize².</summary>
public sealed class ConvTranspose2d : ConvolutionBase
{
    /// <summary>Creates the layer, drawing its initial weights from <paramref name="generator"/>.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Generator generator, int stride = 1,
        int padding = 0, int outputPadding = 0, bool bias = true)
        : base("conv_transpose2d", inChannels, outChannels, kernelSize, generator, stride, padding, bias, outputPadding)
    {
        OutputPadding = outputPadding;
    }

    /// <summary>Extra rows and columns added to one side of the output.</summary>
    public int OutputPadding { get; }

    /// <inheritdoc/>
    // x (N,C,H,W), w (C,O,k,k) → y (N,O,(H−1)s−2p+k+op,(W−1)s−2p+k+op)
    public override Tensor Forward(Tensor x) => Functional.ConvTranspose2d(x, Weight, Bias, Stride, Padding, OutputPadding);

    /// <inheritdoc/>
    protected override string ExtraRepr() => Repr(OutputPadding != 0
        ? string.Create(CultureInfo.InvariantCulture, $", output_padding=({OutputPadding}, {OutputPadding})") : "");
}
