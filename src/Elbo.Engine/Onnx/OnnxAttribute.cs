using Onnx;

namespace Elbo.Engine.Onnx;

/// <summary>Node attributes (ONNX AttributeProto) of the three kinds Elbo's graphs use.</summary>
public static class OnnxAttribute
{
    /// <summary>An integer attribute (axis, transB, to).</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A list of integers (kernel_shape, strides, pads).</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>A float attribute (alpha, epsilon).</summary>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
}
