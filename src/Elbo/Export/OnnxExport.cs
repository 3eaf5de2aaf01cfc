using System.Globalization;
using System.Text.Json;
using Elbo.Engine.Onnx;
using Elbo.Models;
using Elbo.Serialization;
using Google.Protobuf;

namespace Elbo.Export;

/// <summary>
/// A trained model as two ONNX files (<see cref="RunFolder.EncoderOnnx"/>, <see cref="RunFolder.DecoderOnnx"/>), built
/// through the <see cref="LatentVariableModel"/> contract: the encoder x (batch, D) → "mu", "logvar" (a VAE) or "z"
/// (a plain autoencoder); the decoder z (batch, L) → "params" (the likelihood's parameters) and "mean" (its mean, as
/// <see cref="Likelihoods.Likelihood.Mean"/>). A conditional model takes "label" (batch) int64 beside x and z, one-hot
/// inside the graph. The batch is a symbolic dimension; no node is random (sampling z = μ + σ·ε is left to the caller,
/// ε given). Each file carries the run's config.json, its normalization, the input shape, the class names and a
/// table's column schema in metadata_props (<see cref="OnnxNames.Keys"/>). Both files are computed before either is
/// written (<see cref="Write"/>).
/// </summary>
public sealed class OnnxExport
{
    private OnnxExport(byte[] encoder, byte[] decoder, int opset, IReadOnlyList<string> encoderInputs, IReadOnlyList<string> encoderOutputs,
        IReadOnlyList<string> decoderInputs)
    {
        Encoder = encoder;
        Decoder = decoder;
        Opset = opset;
        EncoderInputs = encoderInputs;
        EncoderOutputs = encoderOutputs;
        DecoderInputs = decoderInputs;
    }

    /// <summary>The encoder model, serialized.</summary>
    public byte[] Encoder { get; }

    /// <summary>The decoder model, serialized.</summary>
    public byte[] Decoder { get; }

    /// <summary>The operator set both files use.</summary>
    public int Opset { get; }

    /// <summary>The encoder's input names, in order ("x", then "label" for a conditional model).</summary>
    public IReadOnlyList<string> EncoderInputs { get; }

    /// <summary>The encoder's output names, in order.</summary>
    public IReadOnlyList<string> EncoderOutputs { get; }

    /// <summary>The decoder's input names, in order ("z", then "label" for a conditional model).</summary>
    public IReadOnlyList<string> DecoderInputs { get; }

    /// <summary>The decoder's output names, in order.</summary>
    public static IReadOnlyList<string> DecoderOutputs { get; } = [OnnxNames.Params, OnnxNames.Mean];

    /// <summary>Both graphs of <paramref name="model"/> (in evaluation mode, as <see cref="Training.TrainedRun.Load(string)"/>
    /// gives it) trained with <paramref name="config"/>, at operator set <paramref name="opset"/>. An opset outside
    /// <see cref="OnnxOpset.Min"/>…<see cref="OnnxOpset.Max"/> is a <see cref="SettingException"/> (opset); a module or
    /// likelihood without an ONNX form an <see cref="OnnxExportException"/> naming it.</summary>
    public static OnnxExport Create(RunConfig config, LatentVariableModel model, int opset = OnnxOpset.Default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(model);
        if (!OnnxOpset.IsSupported(opset))
            throw new SettingException("opset", $"{opset} is not supported: Elbo writes ONNX opsets {OnnxOpset.Range} (default {OnnxOpset.Default})");
        if (model.Training) throw new OnnxExportException($"{model.Kind}: the model is in training mode; export translates evaluation mode (call Eval() first)");

        string version = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "";
        var metadata = Metadata(config, model, version);
        string labelDoc = $"int64 (batch): the class of each example, 0 … {model.Classes - 1}; one-hot inside the graph (a label outside the range gives a zero one-hot)";

        var encoder = new OnnxGraph("encoder");
        var x = encoder.Input(OnnxNames.X, OnnxElementType.Float, [-1, model.Input.Features],
            $"float32 (batch, {model.Input.Features}): examples as the model reads them ({InputDescription(config)})");
        var encoderCondition = model.IsConditional
            ? encoder.OneHot(encoder.Input(OnnxNames.Label, OnnxElementType.Int64, [-1], labelDoc), model.Classes, "one_hot")
            : null;
        var outputs = model.ExportEncoder(encoder, x, encoderCondition);
        foreach (var (name, value) in outputs) encoder.Output(value, name, OutputDescription(name, model));

        var decoder = new OnnxGraph("decoder");
        var z = decoder.Input(OnnxNames.Z, OnnxElementType.Float, [-1, model.Latent], $"float32 (batch, {model.Latent}): latent codes");
        var decoderCondition = model.IsConditional
            ? decoder.OneHot(decoder.Input(OnnxNames.Label, OnnxElementType.Int64, [-1], labelDoc), model.Classes, "one_hot")
            : null;
        var parameters = model.ExportDecoder(decoder, z, decoderCondition);
        var mean = model.Likelihood.ExportMean(decoder, parameters);
        decoder.Output(parameters, OnnxNames.Params,
            $"float32 (batch, {parameters.Dim(1)}): the parameters of p(x|z) as the {model.Likelihood.Name} likelihood reads them");
        decoder.Output(mean, OnnxNames.Mean, $"float32 (batch, {mean.Dim(1)}): the mean of p(x|z), as Elbo's Likelihood.Mean");

        string[] conditioned = model.IsConditional ? [OnnxNames.Label] : [];
        return new OnnxExport(
            Serialize(encoder, opset, metadata, "encoder", version),
            Serialize(decoder, opset, metadata, "decoder", version),
            opset, [OnnxNames.X, .. conditioned], outputs.Select(o => o.Key).ToArray(), [OnnxNames.Z, .. conditioned]);
    }

    /// <summary>Writes both files into <paramref name="folder"/> (created when missing), each atomically.</summary>
    public void Write(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        AtomicFile.WriteAllBytes(Path.Combine(folder, RunFolder.EncoderOnnx), Encoder);
        AtomicFile.WriteAllBytes(Path.Combine(folder, RunFolder.DecoderOnnx), Decoder);
    }

    private static byte[] Serialize(OnnxGraph graph, int opset, List<KeyValuePair<string, string>> metadata, string which, string version)
    {
        var props = new List<KeyValuePair<string, string>>(metadata.Count + 1) { new(OnnxNames.Keys.Graph, which) };
        props.AddRange(metadata);
        string doc = which == "encoder"
            ? "Elbo encoder: q(z|x) for examples x (see docs/export.md; metadata_props hold the run's config.json)"
            : "Elbo decoder: p(x|z) for codes z: its parameters and its mean (see docs/export.md)";
        return graph.ToModel(opset, props, doc, version).ToByteArray();
    }

    // metadata_props: the run's facts, with config.json's own spelling of normalization, input, classes and table schema
    private static List<KeyValuePair<string, string>> Metadata(RunConfig config, LatentVariableModel model, string version)
    {
        string json = RunConfigFile.ToJson(config);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string Raw(string property) => root.TryGetProperty(property, out var p) ? p.GetRawText() : "null";

        var metadata = new List<KeyValuePair<string, string>>
        {
            new(OnnxNames.Keys.Model, model.Kind),
            new(OnnxNames.Keys.Likelihood, model.Likelihood.Name),
            new(OnnxNames.Keys.Posterior, model.Posterior.Name),
            new(OnnxNames.Keys.Latent, model.Latent.ToString(CultureInfo.InvariantCulture)),
            new(OnnxNames.Keys.Input, Compact(Raw("input"))),
            new(OnnxNames.Keys.Normalization, Compact(Raw("normalization"))),
        };
        if (model.IsConditional) metadata.Add(new(OnnxNames.Keys.Classes, model.Classes.ToString(CultureInfo.InvariantCulture)));
        if (config.LabelNames() is { } names) metadata.Add(new(OnnxNames.Keys.ClassNames, JsonSerializer.Serialize(names)));
        if (config.Table is not null) metadata.Add(new(OnnxNames.Keys.TableSchema, Compact(Raw("table"))));
        metadata.Add(new(OnnxNames.Keys.Config, json));
        metadata.Add(new(OnnxNames.Keys.Version, version));
        return metadata;
    }

    private static string Compact(string rawJson)
    {
        using var document = JsonDocument.Parse(rawJson);
        return JsonSerializer.Serialize(document.RootElement);
    }

    private static string InputDescription(RunConfig config) => config.Table is not null
        ? "a table row encoded with the schema in metadata elbo.table_schema: standardized numbers, booleans 0/1, one-hot categories, then one observation flag per column"
        : $"{config.Input} values in channel, row, column order, normalized as metadata elbo.normalization says";

    private static string OutputDescription(string name, LatentVariableModel model) => name switch
    {
        OnnxNames.Mu => $"float32 (batch, {model.Latent}): the mean of q(z|x)",
        OnnxNames.LogVar => $"float32 (batch, {model.Latent}): log σ² of q(z|x)",
        OnnxNames.Z => $"float32 (batch, {model.Latent}): the code",
        _ => $"float32 (batch, {model.Latent})",
    };
}
