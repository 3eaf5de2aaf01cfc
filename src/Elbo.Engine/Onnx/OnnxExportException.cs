namespace Elbo.Engine.Onnx;

/// <summary>A module, a shape or a mode that has no ONNX form: an unknown module type (named by its dotted path), a
/// layer that does not fit its input, or batch normalization or dropout left in training mode.</summary>
public sealed class OnnxExportException(string message) : Exception(message);
