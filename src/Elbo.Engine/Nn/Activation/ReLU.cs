namespace Elbo.Engine.Nn;

/// <summary>max(x, 0) elementwise (torch.nn.ReLU).</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc/>
    // x (any shape) → y (same shape)
    public override Tensor Forward(Tensor x) => x.Relu();
}
