namespace Elbo.Engine.Nn;

/// <summary>1 / (1 + e⁻ˣ) elementwise (torch.nn.Sigmoid).</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc/>
    // x (any shape) → y (same shape)
    public override Tensor Forward(Tensor x) => x.Sigmoid();
}
