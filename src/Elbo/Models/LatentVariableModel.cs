using Elbo.Data;
using Elbo.Distributions;
using Elbo.Engine.Nn;
using Elbo.Engine.Onnx;
using Elbo.Likelihoods;
using Elbo.Objectives;

namespace Elbo.Models;

/// <summary>
/// The contract every model keeps (after PyTorch-VAE's BaseVAE and pythae's BaseAE): <see cref="Encode"/> maps a batch
/// x (B, D) to a <see cref="Distributions.Posterior"/> q(z|x); <see cref="Decode"/> maps z (B, L) to the parameters
/// of p(x|z), which the <see cref="Likelihood"/> interprets; the loss on a batch is the <see cref="Objective"/>'s;
/// <see cref="Sample"/> decodes draws from the prior N(0, I) and <see cref="Reconstruct"/> decodes the location of q.
/// Data enter flat, (B, D) with D = C·H·W; the networks reshape as they need. A conditional model (<see cref="Classes"/>
/// &gt; 0) also sees each example's class label, given beside the batch as one integer per row; an unconditional one
/// ignores labels. Evaluation, plotting and the commands use a model only through this contract, asking
/// <see cref="Posterior"/> and <see cref="Classes"/> what it supports.
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

    /// <summary>The number of classes a conditional model is conditioned on (its encoder and decoder see the one-hot
    /// label); 0 for an unconditional model, which ignores any labels it is given.</summary>
    public virtual int Classes => 0;

    /// <summary>Whether the model needs a class label per example (<see cref="Classes"/> &gt; 0).</summary>
    public bool IsConditional => Classes > 0;

    /// <summary>q(z|x) for a batch x (B, D); a conditional model needs <paramref name="labels"/>, one per row.</summary>
    public abstract Posterior Encode(Tensor x, ReadOnlySpan<int> labels = default);

    /// <summary>p(x|z)'s parameters, (B, P·D), for z (B, L); a conditional model needs <paramref name="labels"/>, one
    /// per row.</summary>
    public abstract Tensor Decode(Tensor z, ReadOnlySpan<int> labels = default);

    /// <summary>Writes the encoder into <paramref name="graph"/> (ONNX export): for x (B, D) and, for a conditional
    /// model, the one-hot <paramref name="condition"/> (B, <see cref="Classes"/>), the outputs that describe q(z|x), by
    /// output name and in order (a VAE's "mu" and "logvar", an autoencoder's code "z"), computed as <see cref="Encode"/>
    /// computes them in evaluation mode. A model without an ONNX form throws an <see cref="OnnxExportException"/>.</summary>
    public virtual IReadOnlyList<KeyValuePair<string, OnnxValue>> ExportEncoder(OnnxGraph graph, OnnxValue x, OnnxValue? condition) =>
        throw NoOnnxForm();

    /// <summary>Writes the decoder into <paramref name="graph"/>: the parameters of p(x|z) (B, P·D) for z (B, L) and the
    /// one-hot <paramref name="condition"/> of a conditional model, as <see cref="Decode"/> computes them.</summary>
    public virtual OnnxValue ExportDecoder(OnnxGraph graph, OnnxValue z, OnnxValue? condition) => throw NoOnnxForm();

    private OnnxExportException NoOnnxForm() =>
        new($"{Kind}: the model ({GetType().Name}) has no ONNX form: it does not write its encoder and decoder into a graph (ExportEncoder, ExportDecoder)");

    /// <summary>The decoder output at the location of q (the usual reconstruction), for an unconditional model.</summary>
    public override Tensor Forward(Tensor x) => Decode(Encode(x).Location);

    /// <summary>The <paramref name="objective"/> on a batch x (B, D) with its <paramref name="labels"/> (used by a
    /// conditional model); <paramref name="klWeight"/> is β times the warm-up ramp, <paramref name="generator"/> draws
    /// the noise.</summary>
    public VaeLoss Loss(Tensor x, Objective objective, float klWeight, Generator generator, ReadOnlySpan<int> labels = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return objective.Loss(this, x, klWeight, generator, labels);
    }

    /// <summary>The <paramref name="objective"/> on a batch with ε from <paramref name="noise"/> (the trainer's
    /// <see cref="ExampleNoise"/>, keyed by step and example).</summary>
    public VaeLoss Loss(Tensor x, Objective objective, float klWeight, NoiseSource noise, ReadOnlySpan<int> labels = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return objective.Loss(this, x, klWeight, noise, labels);
    }

    /// <summary>The means of p(x|z) for <paramref name="n"/> draws z ~ N(0, I): (n, D). A conditional model draws
    /// row i of class <paramref name="labels"/>[i], or, without labels, the classes in turn (<see cref="LabelsInTurn"/>).</summary>
    public Tensor Sample(int n, Generator generator, ReadOnlySpan<int> labels = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var z = Tensor.Randn(generator, n, Latent);
        return Likelihood.Mean(IsConditional && labels.IsEmpty ? Decode(z, LabelsInTurn(n)) : Decode(z, labels));
    }

    /// <summary>The means of p(x|z) at the location of q(z|x): (B, D).</summary>
    public Tensor Reconstruct(Tensor x, ReadOnlySpan<int> labels = default) => Likelihood.Mean(Decode(Encode(x, labels).Location, labels));

    /// <summary>Labels for <paramref name="n"/> decodes that no example chose: row i gets class i mod
    /// <see cref="Classes"/> for a conditional model (every class, in turn); empty for an unconditional one.</summary>
    public int[] LabelsInTurn(int n)
    {
        if (!IsConditional) return [];
        var labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % Classes;
        return labels;
    }

    /// <summary>Throws an ArgumentException unless x is (B, D) for this model's examples.</summary>
    protected void CheckInput(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != Input.Features)
            throw new ArgumentException($"{Kind}: input {x.ShapeString} does not fit the model (need (B,{Input.Features}) for {Input} examples)");
    }

    /// <summary>Labels for <paramref name="each"/> decodes of every class of a conditional model, class by class
    /// (<paramref name="each"/> times 0, then 1, …): a grid of that many columns has one row per class.</summary>
    public int[] LabelsByClass(int each)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(each, 1);
        if (!IsConditional) throw new InvalidOperationException($"{Kind}: an unconditional model has no classes");
        var labels = new int[Classes * each];
        for (int i = 0; i < labels.Length; i++) labels[i] = i / each;
        return labels;
    }

    /// <summary>The one-hot rows (B, <see cref="Classes"/>) of a conditional model's <paramref name="labels"/> for a batch of
    /// <paramref name="rows"/>; throws an ArgumentException when a label is missing or not one of the classes.</summary>
    protected Tensor OneHot(ReadOnlySpan<int> labels, int rows)
    {
        if (labels.Length != rows)
            throw new ArgumentException(labels.IsEmpty
                ? $"{Kind}: a conditional model needs the class label of each example, and none were given"
                : $"{Kind}: {labels.Length} labels for a batch of {rows}");
        var oneHot = Tensor.Zeros(rows, Classes);
        var values = oneHot.Data;
        for (int i = 0; i < rows; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)Classes)
                throw new ArgumentException(label < 0
                    ? $"{Kind}: example {i} has no label, and a conditional model needs one"
                    : $"{Kind}: label {label} is not one of the model's {Classes} classes (0..{Classes - 1})");
            values[i * Classes + label] = 1f;
        }
        return oneHot;
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"kind={Kind}, input={Input}, latent={Latent}, posterior={Posterior.Name}, likelihood={Likelihood.Name}" +
        (IsConditional ? $", classes={Classes}" : "");
}
