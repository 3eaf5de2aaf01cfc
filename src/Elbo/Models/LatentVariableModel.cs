using Elbo.Data;
using Elbo.Distributions;
using Elbo.Engine.Nn;
using Elbo.Likelihoods;
using Elbo.Objectives;

namespace Elbo.Models;

/// <summary>
/// The contract every model keeps (after PyTorch-VAE's BaseVAE and pythae's BaseAE): <see cref="Encode"/> maps a batch
/// x (B, D) to a <see cref="Distributions.Posterior"/> q(z|x); <see cref="Decode"/> maps z (B, L) to the parameters
/// of p(x|z), which the <see cref="Likelihood"/> interprets; the loss on a batch is the <see cref="Objective"/>'s;
/// <see cref="Sample"/> decodes draws from the prior N(0, I) and <see cref="Reconstruct"/> decodes the location of q.
/// Data enter flat, (B, D) with D = C·H·W; the networks reshape as they need. Evaluation, plotting and the commands
/// use a model only through this contract, asking <see cref="Posterior"/> what it supports.
/// </summary>
public abstract class LatentVariableModel : Module
{
    /// <summary>Sets the parts every model has.</summary>
    protected LatentVariableModel(string kind, DataShape input, int latent, Likelihood likelihood)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(likelihood);
        if (latent <= 0) throw new ArgumentOutOfRangeException(nameof(latent), latent, "latent size must be positive");
        Kind = kind;
        Input = input;
        Latent = latent;
        Likelihood = likelihood;
    }

    /// <summary>The registry name of the architecture (e.g. "mlp", "conv", "ae"), for messages.</summary>
    public string Kind { get; }

    /// <summary>The shape of one example.</summary>
    public DataShape Input { get; }

    /// <summary>The latent dimension L.</summary>
    public int Latent { get; }

    /// <summary>The observation model p(x|z).</summary>
    public Likelihood Likelihood { get; }

    /// <summary>The family of the posteriors <see cref="Encode"/> returns, and what they support.</summary>
    public abstract PosteriorFamily Posterior { get; }

    /// <summary>q(z|x) for a batch x (B, D).</summary>
    public abstract Posterior Encode(Tensor x);

    /// <summary>p(x|z)'s parameters, (B, P·D), for z (B, L).</summary>
    public abstract Tensor Decode(Tensor z);

    /// <summary>The decoder output at the location of q (the usual reconstruction).</summary>
    public override Tensor Forward(Tensor x) => Decode(Encode(x).Location);

    /// <summary>The <paramref name="objective"/> on a batch x (B, D); <paramref name="klWeight"/> is β times the
    /// warm-up ramp, <paramref name="generator"/> draws the noise.</summary>
    public VaeLoss Loss(Tensor x, Objective objective, float klWeight, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return objective.Loss(this, x, klWeight, generator);
    }

    /// <summary>The means of p(x|z) for <paramref name="n"/> draws z ~ N(0, I): (n, D).</summary>
    public Tensor Sample(int n, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return Likelihood.Mean(Decode(Tensor.Randn(generator, n, Latent)));
    }

    /// <summary>The means of p(x|z) at the location of q(z|x): (B, D).</summary>
    public Tensor Reconstruct(Tensor x) => Likelihood.Mean(Forward(x));

    /// <summary>Throws an ArgumentException unless x is (B, D) for this model's examples.</summary>
    protected void CheckInput(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != Input.Features)
            throw new ArgumentException($"{Kind}: input {x.ShapeString} does not fit the model (need (B,{Input.Features}) for {Input} examples)");
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"kind={Kind}, input={Input}, latent={Latent}, posterior={Posterior.Name}, likelihood={Likelihood.Name}";
}
