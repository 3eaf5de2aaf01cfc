using Elbo.Engine.Autograd;
using Elbo.Engine.Tests.Support;
using Elbo.Export;
using Elbo.Models;

namespace Elbo.Tests.Export;

/// <summary>How far an export's outputs, run in ONNX Runtime, are from the model's own forward pass.</summary>
/// <param name="Encoder">max |ONNX − Elbo| over the encoder's outputs (μ and log σ², or the code).</param>
/// <param name="Params">max |ONNX − Elbo| over the decoder's parameters.</param>
/// <param name="Mean">max |ONNX − Elbo| over the likelihood's mean.</param>
public sealed record ExportDifference(float Encoder, float Params, float Mean)
{
    /// <summary>The largest of the three.</summary>
    public float Max => MathF.Max(Encoder, MathF.Max(Params, Mean));

    /// <summary>The larger of each pair.</summary>
    public ExportDifference Worst(ExportDifference other) =>
        new(MathF.Max(Encoder, other.Encoder), MathF.Max(Params, other.Params), MathF.Max(Mean, other.Mean));

    /// <inheritdoc/>
    public override string ToString() => $"encoder {Encoder:E2}, params {Params:E2}, mean {Mean:E2}";
}

/// <summary>Runs both files of an export in ONNX Runtime and compares them with <see cref="LatentVariableModel.Encode"/>,
/// <see cref="LatentVariableModel.Decode"/> and <see cref="Likelihoods.Likelihood.Mean"/>.</summary>
public static class ExportCheck
{
    /// <summary>The differences on a batch <paramref name="x"/> (B, D) with its <paramref name="labels"/> (a
    /// conditional model): the encoder on x, the decoder on the codes of x and on standard normal z.</summary>
    public static ExportDifference Compare(OnnxExport export, LatentVariableModel model, Tensor x, int[] labels, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(export);
        return Compare(export.Encoder, export.Decoder, model, x, labels, seed);
    }

    /// <summary>The differences for the two serialized models <paramref name="encoderFile"/> and
    /// <paramref name="decoderFile"/> (the encoder's outputs taken in the order the file lists them).</summary>
    public static ExportDifference Compare(byte[] encoderFile, byte[] decoderFile, LatentVariableModel model, Tensor x, int[] labels, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (outputs, location) = CompareEncoder(encoderFile, model, x, labels);
        float parameters = 0, mean = 0;
        foreach (var z in new[] { location, Tensor.Randn(new Generator(seed), x.Dim(0), model.Latent) })
        {
            var decoded = CompareDecoder(decoderFile, model, z, labels);
            parameters = MathF.Max(parameters, decoded.Params);
            mean = MathF.Max(mean, decoded.Mean);
        }
        return new ExportDifference(outputs.Max(o => o.Difference), parameters, mean);
    }

    /// <summary>max |ONNX − Elbo| of each output of the encoder <paramref name="encoderFile"/> on <paramref name="x"/>
    /// (μ and log σ², or the code; by the file's names, in its order), and the location of q(z|x) in Elbo.</summary>
    public static ((string Name, float Difference)[] Outputs, Tensor Location) CompareEncoder(byte[] encoderFile, LatentVariableModel model, Tensor x, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = GradMode.NoGrad();
        var encoded = OnnxTestRuntime.Run(encoderFile, [OnnxInput.Of(OnnxNames.X, x), .. Conditioned(model, labels)]);
        var outputNames = global::Onnx.ModelProto.Parser.ParseFrom(encoderFile).Graph.Output.Select(o => o.Name).ToArray();
        var posterior = model.Encode(x, labels);
        Assert.Equal(outputNames.Length, posterior.Parameters.Count);
        var outputs = outputNames.Select((name, i) => (name, OnnxTestRuntime.MaxAbsDifference(posterior.Parameters[i], encoded[name]))).ToArray();
        return (outputs, posterior.Location);
    }

    /// <summary>max |ONNX − Elbo| of the decoder <paramref name="decoderFile"/>'s two outputs on the codes
    /// <paramref name="z"/> (B, L): the likelihood's parameters and its mean.</summary>
    public static (float Params, float Mean) CompareDecoder(byte[] decoderFile, LatentVariableModel model, Tensor z, int[] labels)
    {
        var d = RunDecoder(decoderFile, model, z, labels);
        return (OnnxTestRuntime.MaxAbsDifference(d.Params, d.OnnxParams), OnnxTestRuntime.MaxAbsDifference(d.Mean, d.OnnxMean));
    }

    /// <summary>The decoder's outputs on <paramref name="z"/> (B, L) from Elbo (<see cref="LatentVariableModel.Decode"/>
    /// and the likelihood's mean) and from ONNX Runtime running <paramref name="decoderFile"/>.</summary>
    public static (Tensor Params, Tensor OnnxParams, Tensor Mean, Tensor OnnxMean) RunDecoder(byte[] decoderFile, LatentVariableModel model, Tensor z, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = GradMode.NoGrad();
        var decoded = OnnxTestRuntime.Run(decoderFile, [OnnxInput.Of(OnnxNames.Z, z), .. Conditioned(model, labels)]);
        var output = model.Decode(z, labels);
        return (output, decoded[OnnxNames.Params], model.Likelihood.Mean(output), decoded[OnnxNames.Mean]);
    }

    private static OnnxInput[] Conditioned(LatentVariableModel model, int[] labels) =>
        model.IsConditional ? [OnnxInput.Labels(OnnxNames.Label, labels)] : [];
}
