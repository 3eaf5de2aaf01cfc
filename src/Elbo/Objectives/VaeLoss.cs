namespace Elbo.Objectives;

/// <summary>
/// The result of one evaluation of the objective on a batch. Loss scaling, stated once: every quantity is summed over
/// the data dimensions and the latent dimensions and averaged over the batch, in nats per example.
/// <see cref="Objective"/> is what is minimized (reconstruction + weight·KL, with free bits when set, or −L_K for the
/// importance-weighted bound); <see cref="NegativeElbo"/>, <see cref="Reconstruction"/> and <see cref="Kl"/> are the
/// unweighted −ELBO and its two halves, as reported in metrics.
/// </summary>
public readonly struct VaeLoss
{
    /// <summary>Creates the record; the tensors are rank 0.</summary>
    public VaeLoss(Tensor objective, Tensor reconstruction, Tensor? kl, Tensor? bound = null)
    {
        Objective = objective;
        ReconstructionTensor = reconstruction;
        KlTensor = kl;
        BoundTensor = bound;
    }

    /// <summary>The differentiable objective (rank 0), nats per example.</summary>
    public Tensor Objective { get; }

    /// <summary>−E_q[log p(x|z)] per example (rank 0).</summary>
    public Tensor ReconstructionTensor { get; }

    /// <summary>KL(q(z|x) ‖ p(z)) per example (rank 0), or null for a posterior without a density.</summary>
    public Tensor? KlTensor { get; }

    /// <summary>−L_K, the negative importance-weighted bound per example (rank 0), for the iwae objective; else null.</summary>
    public Tensor? BoundTensor { get; }

    /// <summary>Reconstruction term, nats per example.</summary>
    public float Reconstruction => ReconstructionTensor.Item();

    /// <summary>KL term, nats per example (0 for an autoencoder).</summary>
    public float Kl => KlTensor?.Item() ?? 0f;

    /// <summary>−L_K in nats per example, or null when the objective is not a bound of its own.</summary>
    public float? Bound => BoundTensor?.Item();

    /// <summary>−ELBO = reconstruction + KL, nats per example.</summary>
    public float NegativeElbo => Reconstruction + Kl;
}
