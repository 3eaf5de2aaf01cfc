using Elbo.Data;
using Elbo.Distributions;
using Elbo.Engine.Nn;
using Elbo.Likelihoods;

namespace Elbo.Models;

/// <summary>
/// A conditional VAE (Sohn, Lee and Yan 2015, "Learning Structured Output Representation using Deep Conditional
/// Generative Models"; the form of PyTorch-VAE's ConditionalVAE): the encoder sees the example and its one-hot class
/// label y, q(z|x, y) = N(μ, diag σ²); the decoder sees z beside the same one-hot, p(x|z, y); the prior stays N(0, I).
/// Because the label carries the class, z is free to carry the rest (style, stroke, pose), and sampling a chosen class
/// is decoding z ~ N(0, I) beside its one-hot. The module names are <see cref="Vae"/>'s; the first layers of the
/// encoder and decoder take C more inputs (the one-hot is concatenated after x and after z).
/// </summary>
public sealed class ConditionalVae : LatentVariableModel
{
    private readonly int _classes;

    /// <summary>Assembles a model from its networks: <paramref name="encoder"/> maps (B, D + C) to (B, F),
    /// <paramref name="decoder"/> maps (B, L + C) to (B, P·D), with C = <paramref name="classes"/>.</summary>
    public ConditionalVae(string kind, DataShape input, int classes, Module encoder, int encoderFeatures, int latent, Module decoder,
        Likelihood likelihood, Generator generator)
        : base(kind, input, latent, likelihood)
    {
        if (classes < 1) throw new SettingException("classes", $"a conditional model needs at least one class, got {classes}");
        _classes = classes;
        Encoder = RegisterModule("encoder", encoder);
        FcMu = RegisterModule("fc_mu", new Linear(encoderFeatures, latent, generator));
        FcVar = RegisterModule("fc_var", new Linear(encoderFeatures, latent, generator));
        Decoder = RegisterModule("decoder", decoder);
    }

    /// <inheritdoc/>
    public override int Classes => _classes;

    /// <summary>[x, one-hot y] (B, D + C) → h (B, F).</summary>
    public Module Encoder { get; }

    /// <summary>h → μ.</summary>
    public Linear FcMu { get; }

    /// <summary>h → log σ².</summary>
    public Linear FcVar { get; }

    /// <summary>[z, one-hot y] (B, L + C) → decoder output (B, P·D).</summary>
    public Module Decoder { get; }

    /// <inheritdoc/>
    public override PosteriorFamily Posterior => PosteriorFamily.DiagonalGaussian;

    /// <summary>q(z|x, y) = N(μ, diag σ²) for x (B, D) and one label per row.</summary>
    public override Posterior Encode(Tensor x, ReadOnlySpan<int> labels = default)
    {
        CheckInput(x);
        var h = Encoder.Forward(Tensor.Concat([x, OneHot(labels, x.Dim(0))], 1));
        return new DiagonalGaussianPosterior(FcMu.Forward(h), FcVar.Forward(h));
    }

    /// <summary>p(x|z, y)'s parameters for z (B, L) and one label per row.</summary>
    public override Tensor Decode(Tensor z, ReadOnlySpan<int> labels = default) =>
        Decoder.Forward(Tensor.Concat([z, OneHot(labels, z.Dim(0))], 1));
}
