using System.Globalization;

namespace Elbo.Engine.Nn;

/// <summary>x for x ≥ 0, negativeSlope·x otherwise (torch.nn.LeakyReLU, default slope 0.01).</summary>
public sealed class LeakyReLU : Module
{
    /// <summary>Creates the activation with the given slope for negative inputs.</summary>
    public LeakyReLU(float negativeSlope = 0.01f) => NegativeSlope = negativeSlope;

    /// <summary>The slope for negative inputs.</summary>
    public float NegativeSlope { get; }

    /// <inheritdoc/>
    // x (any shape) → y (same shape)
    public override Tensor Forward(Tensor x) => x.LeakyRelu(NegativeSlope);

    /// <inheritdoc/>
    protected override string ExtraRepr() => string.Create(CultureInfo.InvariantCulture, $"negative_slope={NegativeSlope}");
}
