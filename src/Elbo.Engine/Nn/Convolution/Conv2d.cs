using System.Globalization;

namespace Elbo.Engine.Nn;

/// <summary>A 2-D convolution layer (torch.nn.Conv2d) with a square kernel. Weight (outChannels, inChannels,
/// kernelSize, kernelSize) and bias (outChannels) are initialized as PyTorch: U(±1/√fan_in) with
/// fan_in = inChannels·kernelSize² (kaiming_uniform with a = √5).</summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer, drawing its initial weights from <paramref name="generator"/>.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Generator generator, int stride = 1, int padding = 0, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentException($"conv2d: channels and kernel size must be positive (in {inChannels}, out {outChannels}, kernel {kernelSize})");
        if (stride <= 0) throw new ArgumentException($"conv2d: stride {stride} must be positive");
        if (padding < 0) throw new ArgumentException($"conv2d: padding {padding} must not be negative");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Weight = RegisterParameter("weight", Tensor.Zeros(outChannels, inChannels, kernelSize, kernelSize));
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

    /// <summary>The zero padding on each side.</summary>
    public int Padding { get; }

    /// <summary>The weight (outChannels, inChannels, kernelSize, kernelSize).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias (outChannels), or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    // x (N,C,H,W), w (O,C,k,k) → y (N,O,(H+2p−k)/s+1,(W+2p−k)/s+1)
    public override Tensor Forward(Tensor x) => Functional.Conv2d(x, Weight, Bias, Stride, Padding);

    /// <inheritdoc/>
    protected override string ExtraRepr() => string.Create(CultureInfo.InvariantCulture,
        $"{InChannels}, {OutChannels}, kernel_size=({KernelSize}, {KernelSize}), stride=({Stride}, {Stride})")
        + (Padding != 0 ? string.Create(CultureInfo.InvariantCulture, $", padding=({Padding}, {Padding})") : "")
        + (Bias == null ? ", bias=False" : "");
}
