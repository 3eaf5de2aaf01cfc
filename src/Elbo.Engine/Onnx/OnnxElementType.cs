namespace Elbo.Engine.Onnx;

/// <summary>The element types of the values Elbo's graphs hold, numbered as ONNX's TensorProto.DataType.</summary>
public enum OnnxElementType
{
    /// <summary>float32: data, codes, weights.</summary>
    Float = 1,

    /// <summary>int64: class labels, shapes, indices.</summary>
    Int64 = 7,

    /// <summary>bool: comparison results.</summary>
    Bool = 9,
}
