namespace Elbo.Engine.Onnx;

/// <summary>
/// The ONNX operator set versions Elbo writes, and the IR version each needs. From 13 on the ops Elbo emits have the
/// form it writes: Softmax normalizes along one axis (before 13 it flattened to 2-D), Slice, Unsqueeze and the
/// reshape targets take their axes and sizes as inputs, and BatchNormalization is the inference op with running
/// statistics. Up to 21 (IR 10, ONNX 1.16), none of the ops used changed meaning, so one graph is valid for every
/// version in the range; later opsets are refused rather than written untested. 17 (IR 8, ONNX 1.12) is the default:
/// what PyTorch's exporter writes by default, read by every ONNX Runtime since 1.12 and by Debian's onnx checker.
/// </summary>
public static class OnnxOpset
{
    /// <summary>The oldest opset written.</summary>
    public const int Min = 13;

    /// <summary>The newest opset written.</summary>
    public const int Max = 21;

    /// <summary>The default opset.</summary>
    public const int Default = 17;

    /// <summary>Whether <paramref name="opset"/> is one Elbo writes.</summary>
    public static bool IsSupported(int opset) => opset is >= Min and <= Max;

    /// <summary>The range in words, for messages: "13 to 21".</summary>
    public static string Range => $"{Min} to {Max}";

    /// <summary>The IR version of the ONNX release that introduced <paramref name="opset"/> (13–14: 7, 15–18: 8,
    /// 19–20: 9, 21: 10), the oldest a reader of that opset understands.</summary>
    public static long IrVersion(int opset)
    {
        if (!IsSupported(opset)) throw new ArgumentException($"onnx: opset {opset} is not supported (Elbo writes opsets {Range})");
        return opset switch
        {
            <= 14 => 7,
            <= 18 => 8,
            <= 20 => 9,
            _ => 10,
        };
    }
}
