using System.Globalization;

namespace Elbo.Engine.Nn;

/// <summary>A fully connected layer, y = x·Wᵀ + b (torch.nn.Linear). Weight (outFeatures, inFeatures) and bias
/// (outFeatures) are initialized as PyTorch: U(±1/√inFeatures) (kaiming_uniform with a = √5).</summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer, drawing its initial weights from <paramref name="generator"/>.</summary>
    public Linear(int inFeatures, int outFeatures, Generator generator, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (inFeatures < 0 || outFeatures < 0)
            throw new ArgumentException($"linear: feature counts must not be negative (in {inFeatures}, out {outFeatures})");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Tensor.Zeros(outFeatures, inFeatures));
        if (bias) Bias = RegisterParameter("bias", Tensor.Zeros(outFeatures));
        Init.DefaultLayerInit(Weight, Bias, generator);
    }

    /// <summary>The number of input features.</summary>
    public int InFeatures { get; }

    /// <summary>The number of output features.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight (outFeatures, inFeatures).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias (outFeatures), or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    // x (B,in) → y (B,out)
    public override Tensor Forward(Tensor x) => Functional.Linear(x, Weight, Bias);

    /// <inheritdoc/>
    protected override string ExtraRepr() => string.Create(CultureInfo.InvariantCulture,
        $"in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias != null ? "True" : "False")}");
}
