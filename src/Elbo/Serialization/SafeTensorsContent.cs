namespace Elbo.Serialization;

/// <summary>What <see cref="SafeTensorsFile.Read"/> found in a safetensors file.</summary>
/// <param name="Tensors">The tensors by name, in the order of the file's header (each a heap tensor named after its
/// key).</param>
/// <param name="Metadata">The header's <c>__metadata__</c> entries (empty when the file has none), including
/// <c>elbo.sha256</c> when the file carries a checksum.</param>
public sealed record SafeTensorsContent(OrderedDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);
