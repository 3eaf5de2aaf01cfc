namespace Elbo.Engine.Nn;

/// <summary>tanh x elementwise (torch.nn.Tanh).</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc/>
    // x (any shape) → y (same shape)
    public override Tensor Forward(Tensor x) => x.Tanh();
}
