using Elbo.Data;
using Elbo.Distributions;
using Elbo.Engine.Nn;
using Elbo.Engine.Onnx;
using Elbo.Likelihoods;

namespace Elbo.Models;

/// <summary>
/// A variational autoencoder: an encoder network to features h, then fc_mu and fc_var give the mean and log-variance
/// of the diagonal Gaussian q(z|x) = N(μ, diag σ²); the objective samples z = μ + σ⊙ε with ε ~ N(0, I)
/// (reparameterization); the prior is N(0, I); the decoder maps z to the parameters of p(x|z). The module names
/// (encoder, fc_mu, fc_var, decoder) are PyTorch-VAE's, so the state dict loads into its models.
/// </summary>
public class Vae : LatentVariableModel
{
    /// <summary>Assembles a model from its networks. <paramref name="encoder"/> maps (B, D) to (B, F);
    /// <paramref name="decoder"/> maps (B, L) to (B, P·D) with P = likelihood.ParametersPerFeature.</summary>
    public Vae(string kind, DataShape input, Module encoder, int encoderFeatures, int latent, Module decoder,
        Likelihood likelihood, Generator generator)
        : base(kind, input, latent, likelihood)
    {
        Encoder = RegisterModule("encoder", encoder);
        FcMu = RegisterModule("fc_mu", new Linear(encoderFeatures, latent, generator));
        FcVar = RegisterModule("fc_var", new Linear(encoderFeatures, latent, generator));
        Decoder = RegisterModule("decoder", decoder);
    }

    /// <summary>x (B, D) → h (B, F).</summary>
    public Module Encoder { get; }

    /// <summary>h → μ.</summary>
    public Linear FcMu { get; }

    /// <summary>h → log σ².</summary>
    public Linear FcVar { get; }

    /// <summary>z (B, L) → decoder output (B, P·D).</summary>
    public Module Decoder { get; }

    /// <inheritdoc/>
    public override PosteriorFamily Posterior => PosteriorFamily.DiagonalGaussian;

    /// <summary>q(z|x) = N(μ, diag σ²): μ and log σ², each (B, L).</summary>
    public override Posterior Encode(Tensor x, ReadOnlySpan<int> labels = default)
    {
        CheckInput(x);
        var h = Encoder.Forward(EncoderInput(x, labels));
        return new DiagonalGaussianPosterior(FcMu.Forward(h), FcVar.Forward(h));
    }

    /// <inheritdoc/>
    public override Tensor Decode(Tensor z, ReadOnlySpan<int> labels = default) => Decoder.Forward(DecoderInput(z, labels));

    /// <summary>What the encoder network reads for x (B, D): x itself; a conditional model adds its condition.</summary>
    protected virtual Tensor EncoderInput(Tensor x, ReadOnlySpan<int> labels) => x;

    /// <summary>What the decoder network reads for z (B, L): z itself; a conditional model adds its condition.</summary>
    protected virtual Tensor DecoderInput(Tensor z, ReadOnlySpan<int> labels) => z;

    /// <summary>"mu" and "logvar" (B, L): fc_mu and fc_var on the encoder's features.</summary>
    public override IReadOnlyList<KeyValuePair<string, OnnxValue>> ExportEncoder(OnnxGraph graph, OnnxValue x, OnnxValue? condition)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var h = OnnxModules.Write(graph, Encoder, "encoder", EncoderInput(graph, x, condition));
        return [new(Export.OnnxNames.Mu, OnnxModules.Write(graph, FcMu, "fc_mu", h)), new(Export.OnnxNames.LogVar, OnnxModules.Write(graph, FcVar, "fc_var", h))];
    }

    /// <inheritdoc/>
    public override OnnxValue ExportDecoder(OnnxGraph graph, OnnxValue z, OnnxValue? condition) =>
        OnnxModules.Write(graph, Decoder, "decoder", DecoderInput(graph, z, condition));

    /// <summary>The graph form of <see cref="EncoderInput(Tensor, ReadOnlySpan{int})"/>: x itself.</summary>
    protected virtual OnnxValue EncoderInput(OnnxGraph graph, OnnxValue x, OnnxValue? condition) => x;

    /// <summary>The graph form of <see cref="DecoderInput(Tensor, ReadOnlySpan{int})"/>: z itself.</summary>
    protected virtual OnnxValue DecoderInput(OnnxGraph graph, OnnxValue z, OnnxValue? condition) => z;
}
