using System.Globalization;

namespace Elbo.Engine.Nn;

/// <summary>What <see cref="Conv2d"/> and <see cref="ConvTranspose2d"/> share (PyTorch's _ConvNd): a square kernel,
/// stride and padding, the weight and optional bias initialized as PyTorch (U(±1/√fan_in), fan_in from weight
/// dimension 1 times the kernel area: kaiming_uniform with a = √5), and the common part of the repr.</summary>
public abstract class ConvolutionBase : Module
{
    /// <summary>Checks the sizes and creates the weight and optional bias, drawing their initial values from
    /// <paramref name="generator"/>. A transposed convolution passes its <paramref name="outputPadding"/> (checked
    /// here, before any weight is drawn); a plain one passes null.</summary>
    private protected ConvolutionBase(string op, int inChannels, int outChannels, int kernelSize, Generator generator,
        int stride, int padding, bool bias, int? outputPadding)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentException($"{op}: channels and kernel size must be positive (in {inChannels}, out {outChannels}, kernel {kernelSize})");
        if (stride <= 0) throw new ArgumentException($"{op}: stride {stride} must be positive");
        if (padding < 0) throw new ArgumentException($"{op}: padding {padding} must not be negative");
        if (outputPadding is int op0 && (op0 < 0 || op0 >= stride))
            throw new ArgumentException($"{op}: output padding {op0} must be smaller than stride {stride} and not negative");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Weight = outputPadding != null
            ? RegisterParameter("weight", Tensor.Zeros(inChannels, outChannels, kernelSize, kernelSize))
            : RegisterParameter("weight", Tensor.Zeros(outChannels, inChannels, kernelSize, kernelSize));
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

    /// <summary>The zero padding on each side (for a transposed convolution: removed from each side of the full output).</summary>
    public int Padding { get; }

    /// <summary>The weight: (outChannels, inChannels, k, k) for a convolution, (inChannels, outChannels, k, k) for a
    /// transposed one, as PyTorch.</summary>
    public Tensor Weight { get; }

    /// <summary>The bias (outChannels), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>The repr's arguments, with <paramref name="extra"/> (e.g. the output padding) before the bias flag.</summary>
    private protected string Repr(string extra = "") => string.Create(CultureInfo.InvariantCulture,
        $"{InChannels}, {OutChannels}, kernel_size=({KernelSize}, {KernelSize}), stride=({Stride}, {Stride})")
        + (Padding != 0 ? string.Create(CultureInfo.InvariantCulture, $", padding=({Padding}, {Padding})") : "")
        + extra
        + (Bias == null ? ", bias=False" : "");
}
