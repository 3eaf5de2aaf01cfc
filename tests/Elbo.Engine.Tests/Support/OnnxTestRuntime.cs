using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace Elbo.Engine.Tests.Support;

/// <summary>An input of an ONNX model for <see cref="OnnxTestRuntime.Run"/>: float data or int64 labels, with a shape.</summary>
public sealed record OnnxInput(string Name, float[]? Floats, long[]? Longs, long[] Shape)
{
    /// <summary>A float input holding a copy of <paramref name="tensor"/>.</summary>
    public static OnnxInput Of(string name, Tensor tensor) => new(name, tensor.ToArray(), null, tensor.Shape.ToArray().Select(d => (long)d).ToArray());

    /// <summary>An int64 input (B,) of <paramref name="labels"/>.</summary>
    public static OnnxInput Labels(string name, ReadOnlySpan<int> labels) => new(name, null, labels.ToArray().Select(l => (long)l).ToArray(), [labels.Length]);
}

/// <summary>Runs exported models in Microsoft.ML.OnnxRuntime — an implementation independent of Elbo's — and checks
/// files with Debian's onnx checker, for the tests that compare an export with the engine's own forward pass.</summary>
public static class OnnxTestRuntime
{
    /// <summary>Every output of <paramref name="model"/> for <paramref name="inputs"/>, by name, as a tensor.</summary>
    public static Dictionary<string, Tensor> Run(byte[] model, params OnnxInput[] inputs)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model, options);
        var values = new List<OrtValue>(inputs.Length);
        try
        {
            foreach (var input in inputs)
                values.Add(input.Floats is { } f
                    ? OrtValue.CreateTensorValueFromMemory(f, input.Shape)
                    : OrtValue.CreateTensorValueFromMemory(input.Longs!, input.Shape));
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, inputs.Select(i => i.Name).ToArray(), values, session.OutputNames);
            var outputs = new Dictionary<string, Tensor>();
            for (int i = 0; i < results.Count; i++)
            {
                var shape = results[i].GetTensorTypeAndShape().Shape.Select(d => checked((int)d)).ToArray();
                outputs[session.OutputNames[i]] = Tensor.FromArray(results[i].GetTensorDataAsSpan<float>().ToArray(), shape);
            }
            return outputs;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>The metadata_props of <paramref name="model"/> as ONNX Runtime reads them.</summary>
    public static IReadOnlyDictionary<string, string> Metadata(byte[] model)
    {
        using var session = new InferenceSession(model);
        return new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap);
    }

    /// <summary>The largest |a − b| over two tensors of the same shape.</summary>
    public static float MaxAbsDifference(Tensor a, Tensor b)
    {
        Assert.Equal(a.ShapeArray(), b.ShapeArray());
        float max = 0;
        var x = a.Data;
        var y = b.Data;
        for (int i = 0; i < x.Length; i++) max = MathF.Max(max, MathF.Abs(x[i] - y[i]));
        return max;
    }

    /// <summary>Debian's python3-onnx, run by /usr/bin/python3 (the system Python that apt installs into).</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> CheckerMissing = new(() =>
    {
        var (code, error) = RunPython("import onnx");
        return code == 0 ? null : $"python3-onnx cannot be imported by {Python} ({error.Trim().Split('\n')[^1]}); scripts/setup.sh installs it";
    });

    /// <summary>Why the onnx checker cannot run here, or null when it can.</summary>
    public static string? CheckerUnavailable => CheckerMissing.Value;

    /// <summary>Runs onnx.checker.check_model(full_check=True) — the ONNX project's own validator, with shape
    /// inference — on the model file at <paramref name="path"/>; returns its exit code and error output.</summary>
    public static (int Code, string Error) Check(string path) =>
        RunPython("import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", path);

    private static (int Code, string Error) RunPython(string code, params string[] args)
    {
        if (!File.Exists(Python)) return (-1, $"{Python} is missing");
        var start = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(code);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Result);
    }
}

/// <summary>A fact that runs only where Debian's onnx checker can be imported (scripts/setup.sh installs python3-onnx).</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public OnnxCheckerFactAttribute()
    {
        if (OnnxTestRuntime.CheckerUnavailable is { } reason) Skip = reason;
    }
}

/// <summary>A theory that runs only where Debian's onnx checker can be imported.</summary>
public sealed class OnnxCheckerTheoryAttribute : TheoryAttribute
{
    public OnnxCheckerTheoryAttribute()
    {
        if (OnnxTestRuntime.CheckerUnavailable is { } reason) Skip = reason;
    }
}
