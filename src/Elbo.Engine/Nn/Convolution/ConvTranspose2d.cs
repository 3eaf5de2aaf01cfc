using System.Globalization;

namespace Elbo.Engine.Nn;

/// <summary>A 2-D transposed convolution layer (torch.nn.ConvTranspose2d) with a square kernel. Weight
/// (inChannels, outChannels, kernelSize, kernelSize) as PyTorch; weight and bias are initialized as PyTorch:
/// U(±1/√fan_in) where fan_in is computed from weight dimension 1, i.e. outChannels·kernelSize².</summary>
public sealed class ConvTranspose2d : Module
{
    /// <summary>Creates the layer, drawing its initial weights from <paramref name="generator"/>.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Generator generator, int stride = 1,
        int padding = 0, int outputPadding = 0, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentException($"conv_transpose2d: channels and kernel size must be positive (in {inChannels}, out {outChannels}, kernel {kernelSize})");
        if (stride <= 0) throw new ArgumentException($"conv_transpose2d: stride {stride} must be positive");
        if (padding < 0) throw new ArgumentException($"conv_transpose2d: padding {padding} must not be negative");
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentException($"conv_transpose2d: output padding {outputPadding} must be smaller than stride {stride} and not negative");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
        Weight = RegisterParameter("weight", Tensor.Zeros(inChannels, outChannels, kernelSize, kernelSize));
        if (bias) Bias = RegisterParameter("bias", Tensor.Zeros(outChannels));
        Init.DefaultLayerInit(Weight, Bias, generator);
    }

    /// <summary>The number of input channels.</summary>
    public int InChannels { get; }

    /// <summary>The number of output channels.</summary>
    public int OutChannels { get; }

    /// <summary>The kernel's height and width.</summary>
    public int KernelSize { get; }

    /// <summary>The stride in both directions.</summary>
    public int Stride { get; }

    /// <summary>The padding removed from each side of the full output.</summary>
    public int Padding { get; }

    /// <summary>Extra rows and columns added to one side of the output.</summary>
    public int OutputPadding { get; }

    /// <summary>The weight (inChannels, outChannels, kernelSize, kernelSize).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias (outChannels), or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    // x (N,C,H,W), w (C,O,k,k) → y (N,O,(H−1)s−2p+k+op,(W−1)s−2p+k+op)
    public override Tensor Forward(Tensor x) => Functional.ConvTranspose2d(x, Weight, Bias, Stride, Padding, OutputPadding);

    /// <inheritdoc/>
    protected override string ExtraRepr() => string.Create(CultureInfo.InvariantCulture,
        $"{InChannels}, {OutChannels}, kernel_size=({KernelSize}, {KernelSize}), stride=({Stride}, {Stride})")
        + (Padding != 0 ? string.Create(CultureInfo.InvariantCulture, $", padding=({Padding}, {Padding})") : "")
        + (OutputPadding != 0 ? string.Create(CultureInfo.InvariantCulture, $", output_padding=({OutputPadding}, {OutputPadding})") : "")
        + (Bias == null ? ", bias=False" : "");
}
