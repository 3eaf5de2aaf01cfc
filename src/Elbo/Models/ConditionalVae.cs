using Elbo.Data;
using Elbo.Engine.Nn;
using Elbo.Engine.Onnx;
using Elbo.Likelihoods;

namespace Elbo.Models;

/// <summary>
/// A conditional VAE (Sohn, Lee and Yan 2015, "Learning Structured Output Representation using Deep Conditional
/// Generative Models"; the form of PyTorch-VAE's ConditionalVAE): the encoder sees the example and its one-hot class
/// label y, q(z|x, y) = N(μ, diag σ²); the decoder sees z beside the same one-hot, p(x|z, y); the prior stays N(0, I).
/// Because the label carries the class, z is free to carry the rest (style, stroke, pose), and sampling a chosen class
/// is decoding z ~ N(0, I) beside its one-hot. It is a <see cref="Vae"/> whose networks read [x, one-hot y] and
/// [z, one-hot y]: the same module names, with C more inputs to the first layer of each network.
/// </summary>
public sealed class ConditionalVae : Vae
{
    private readonly int _classes;

    /// <summary>Assembles a model from its networks: <paramref name="encoder"/> maps (B, D + C) to (B, F),
    /// <paramref name="decoder"/> maps (B, L + C) to (B, P·D), with C = <paramref name="classes"/>.</summary>
    public ConditionalVae(string kind, DataShape input, int classes, Module encoder, int encoderFeatures, int latent, Module decoder,
        Likelihood likelihood, Generator generator)
        : base(kind, input, encoder, encoderFeatures, latent, decoder, likelihood, generator)
    {
        if (classes < 1) throw new SettingException("classes", $"a conditional model needs at least one class, got {classes}");
        _classes = classes;
    }

    /// <inheritdoc/>
    public override int Classes => _classes;

    /// <summary>[x, one-hot y] (B, D + C).</summary>
    protected override Tensor EncoderInput(Tensor x, ReadOnlySpan<int> labels) => Tensor.Concat([x, OneHot(labels, x.Dim(0))], 1);

    /// <summary>[z, one-hot y] (B, L + C).</summary>
    protected override Tensor DecoderInput(Tensor z, ReadOnlySpan<int> labels) => Tensor.Concat([z, OneHot(labels, z.Dim(0))], 1);

    /// <summary>[x, one-hot y] in a graph.</summary>
    protected override OnnxValue EncoderInput(OnnxGraph graph, OnnxValue x, OnnxValue? condition) =>
        graph.Concat([x, Condition(condition)], 1, "encoder_input");

    /// <summary>[z, one-hot y] in a graph.</summary>
    protected override OnnxValue DecoderInput(OnnxGraph graph, OnnxValue z, OnnxValue? condition) =>
        graph.Concat([z, Condition(condition)], 1, "decoder_input");

    private OnnxValue Condition(OnnxValue? condition) =>
        condition ?? throw new OnnxExportException($"{Kind}: a conditional model's graph needs the one-hot label as an input");
}
