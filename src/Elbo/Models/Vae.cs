using Elbo.Engine.Nn;
using Elbo.Likelihoods;
using Elbo.Objectives;

namespace Elbo.Models;

/// <summary>
/// A variational autoencoder: an encoder network to features h, then fc_mu and fc_var give the mean and log-variance
/// of the diagonal Gaussian q(z|x) = N(μ, diag σ²); z = μ + σ⊙ε with ε ~ N(0, I) (reparameterization); the prior is
/// N(0, I); the decoder maps z to the parameters of p(x|z), interpreted by the <see cref="Likelihood"/>. With
/// <see cref="Deterministic"/> it is a plain autoencoder (z = fc_mu(h), no KL), the baseline the VAE is compared with.
/// Data enter flat, (B, D) with D = C·H·W; the networks reshape as they need.
/// </summary>
public sealed class Vae : Module
{
    private readonly Tensor?[] _noise = new Tensor?[2];

    /// <summary>Assembles a model from its networks. <paramref name="encoder"/> maps (B, D) to (B, F);
    /// <paramref name="decoder"/> maps (B, L) to (B, P·D) with P = likelihood.ParametersPerFeature.</summary>
    public Vae(string kind, InputShape input, Module encoder, int encoderFeatures, int latent, Module decoder,
        Likelihood likelihood, Generator generator, bool deterministic = false)
    {
        if (latent <= 0) throw new ArgumentOutOfRangeException(nameof(latent), latent, "latent size must be positive");
        Kind = kind;
        Input = input;
        Latent = latent;
        Likelihood = likelihood;
        Deterministic = deterministic;
        Encoder = RegisterModule("encoder", encoder);
        FcMu = RegisterModule("fc_mu", new Linear(encoderFeatures, latent, generator));
        FcVar = deterministic ? null : RegisterModule("fc_var", new Linear(encoderFeatures, latent, generator));
        Decoder = RegisterModule("decoder", decoder);
    }

    /// <summary>The registry name of the architecture ("mlp", "conv", "ae").</summary>
    public string Kind { get; }

    /// <summary>The shape of one example.</summary>
    public InputShape Input { get; }

    /// <summary>The latent dimension L.</summary>
    public int Latent { get; }

    /// <summary>The observation model p(x|z).</summary>
    public Likelihood Likelihood { get; }

    /// <summary>True for a plain autoencoder (no sampling, no KL).</summary>
    public bool Deterministic { get; }

    /// <summary>x (B, D) → h (B, F).</summary>
    public Module Encoder { get; }

    /// <summary>h → μ.</summary>
    public Linear FcMu { get; }

    /// <summary>h → log σ² (null for an autoencoder).</summary>
    public Linear? FcVar { get; }

    /// <summary>z (B, L) → decoder output (B, P·D).</summary>
    public Module Decoder { get; }

    /// <summary>q(z|x): μ and log σ², each (B, L). An autoencoder returns its code as μ and no log-variance.</summary>
    public (Tensor Mu, Tensor? LogVar) Encode(Tensor x)
    {
        CheckInput(x);
        var h = Encoder.Forward(x);
        return (FcMu.Forward(h), FcVar?.Forward(h));
    }

    /// <summary>z = μ + exp(½ log σ²) ⊙ ε.</summary>
    public static Tensor Reparameterize(Tensor mu, Tensor logVar, Tensor eps) => mu + eps * (logVar * 0.5f).Exp();

    /// <summary>p(x|z)'s parameters, (B, P·D).</summary>
    public Tensor Decode(Tensor z) => Decoder.Forward(z);

    /// <summary>The decoder output at z = μ (the usual reconstruction).</summary>
    public override Tensor Forward(Tensor x) => Decode(Encode(x).Mu);

    /// <summary>Standard normal noise of shape (B, L) from <paramref name="generator"/>, in a buffer the model reuses
    /// (one for each of the last two batch sizes, so an epoch's short last batch allocates nothing either).</summary>
    public Tensor Noise(int batch, Generator generator)
    {
        int slot = _noise[0]?.Dim(0) == batch ? 0 : _noise[1]?.Dim(0) == batch ? 1 : -1;
        if (slot < 0)
        {
            _noise[1] = _noise[0];
            _noise[0] = Tensor.Zeros(batch, Latent);
            slot = 0;
        }
        var eps = _noise[slot]!;
        generator.FillNormal(eps.Data);
        return eps;
    }

    /// <summary>The objective on a batch x (B, D): one z sample per example (none for an autoencoder).</summary>
    public VaeLoss Loss(Tensor x, ElboObjective objective, float klWeight, Generator generator)
    {
        var (mu, logVar) = Encode(x);
        if (Deterministic || logVar is null)
            return ElboObjective.Reconstruction(Likelihood.NegLogLikelihoodSum(Decode(mu), x), x.Dim(0));
        var eps = Noise(x.Dim(0), generator);
        var z = Reparameterize(mu, logVar, eps);
        var reconstruction = Likelihood.NegLogLikelihoodSum(Decode(z), x);
        return objective.Compute(reconstruction, mu, logVar, z, eps, klWeight);
    }

    /// <summary>The means of p(x|z) for <paramref name="n"/> draws z ~ N(0, I): (n, D).</summary>
    public Tensor Sample(int n, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return Likelihood.Mean(Decode(Tensor.Randn(generator, n, Latent)));
    }

    /// <summary>The means of p(x|z) at z = μ(x): (B, D).</summary>
    public Tensor Reconstruct(Tensor x) => Likelihood.Mean(Forward(x));

    private void CheckInput(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != Input.Features)
            throw new ArgumentException($"{Kind}: input {x.ShapeString} does not fit the model (need (B,{Input.Features}) for {Input} examples)");
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"kind={Kind}, input={Input}, latent={Latent}, likelihood={Likelihood.Name}";
}
