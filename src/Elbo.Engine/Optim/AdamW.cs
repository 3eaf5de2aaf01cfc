namespace Elbo.Engine.Optim;

/// <summary>
/// AdamW (torch.optim.AdamW): Adam with decoupled weight decay — each parameter is first multiplied by
/// 1 − lr·weight_decay, then updated by Adam's rule without an L2 term. PyTorch defaults: lr 1e-3,
/// betas (0.9, 0.999), eps 1e-8, weight decay 1e-2.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer.</summary>
    public AdamW(IReadOnlyList<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 1e-2)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay: true)
    {
    }

    /// <inheritdoc/>
    protected override string OpName => "adamw";
}
