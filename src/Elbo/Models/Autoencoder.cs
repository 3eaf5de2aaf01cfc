using Elbo.Data;
using Elbo.Distributions;
using Elbo.Engine.Nn;
using Elbo.Engine.Onnx;
using Elbo.Likelihoods;

namespace Elbo.Models;

/// <summary>
/// A plain (deterministic) autoencoder, the baseline a VAE is compared with: the same encoder network and fc_mu give a
/// code c(x), whose "posterior" is a point mass; the decoder maps the code back. No sampling and no KL: its objective
/// is the reconstruction term alone, so nothing ties its codes to the prior, and decodes of z ~ N(0, I) show it.
/// </summary>
public sealed class Autoencoder : LatentVariableModel
{
    /// <summary>Assembles a model from its networks (as <see cref="Vae"/>, without fc_var).</summary>
    public Autoencoder(string kind, DataShape input, Module encoder, int encoderFeatures, int latent, Module decoder,
        Likelihood likelihood, Generator generator)
        : base(kind, input, latent, likelihood)
    {
        Encoder = RegisterModule("encoder", encoder);
        FcMu = RegisterModule("fc_mu", new Linear(encoderFeatures, latent, generator));
        Decoder = RegisterModule("decoder", decoder);
    }

    /// <summary>x (B, D) → h (B, F).</summary>
    public Module Encoder { get; }

    /// <summary>h → the code.</summary>
    public Linear FcMu { get; }

    /// <summary>z (B, L) → decoder output (B, P·D).</summary>
    public Module Decoder { get; }

    /// <inheritdoc/>
    public override PosteriorFamily Posterior => PosteriorFamily.PointMass;

    /// <summary>The point mass at the code fc_mu(encoder(x)), (B, L).</summary>
    public override Posterior Encode(Tensor x, ReadOnlySpan<int> labels = default)
    {
        CheckInput(x);
        return new PointMassPosterior(FcMu.Forward(Encoder.Forward(x)));
    }

    /// <inheritdoc/>
    public override Tensor Decode(Tensor z, ReadOnlySpan<int> labels = default) => Decoder.Forward(z);

    /// <summary>The code "z" (B, L): fc_mu on the encoder's features.</summary>
    public override IReadOnlyList<KeyValuePair<string, OnnxValue>> ExportEncoder(OnnxGraph graph, OnnxValue x, OnnxValue? condition)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return [new(Export.OnnxNames.Z, OnnxModules.Write(graph, FcMu, "fc_mu", OnnxModules.Write(graph, Encoder, "encoder", x)))];
    }

    /// <inheritdoc/>
    public override OnnxValue ExportDecoder(OnnxGraph graph, OnnxValue z, OnnxValue? condition) => OnnxModules.Write(graph, Decoder, "decoder", z);
}
