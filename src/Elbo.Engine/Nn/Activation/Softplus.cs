namespace Elbo.Engine.Nn;

/// <summary>log(1 + eˣ) elementwise, computed stably (torch.nn.Softplus with beta 1).</summary>
public sealed class Softplus : Module
{
    /// <inheritdoc/>
    // x (any shape) → y (same shape)
    public override Tensor Forward(Tensor x) => x.Softplus();
}
