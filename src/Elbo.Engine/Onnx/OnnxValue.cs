namespace Elbo.Engine.Onnx;

/// <summary>
/// A value of an <see cref="OnnxGraph"/> being built: its name, element type and shape, where −1 stands for the batch
/// (the symbolic dimension <see cref="OnnxGraph.BatchDim"/>, so one file serves every batch size). The translator
/// tracks shapes itself, as the modules' forward passes do, so a layer that does not fit its input is an error at
/// export and not in the runtime. Naming a value as a graph output renames it in place (<see cref="OnnxGraph.Output"/>).
/// </summary>
public sealed class OnnxValue
{
    private readonly int[] _shape;

    internal OnnxValue(string name, OnnxElementType type, ReadOnlySpan<int> shape)
    {
        Name = name;
        Type = type;
        _shape = shape.ToArray();
    }

    /// <summary>The value's name in the graph.</summary>
    public string Name { get; internal set; }

    /// <summary>The element type.</summary>
    public OnnxElementType Type { get; }

    /// <summary>The shape; −1 is the batch dimension.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The size of dimension <paramref name="dim"/> (negative counts from the end); −1 for the batch.</summary>
    public int Dim(int dim) => _shape[Shapes.NormalizeDim(dim, _shape.Length, "onnx")];

    /// <summary>The shape as text, the batch written B: <c>(B,784)</c>.</summary>
    public string ShapeString => "(" + string.Join(",", _shape.Select(d => d < 0 ? "B" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + (_shape.Length == 1 ? ",)" : ")");

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {ShapeString}";
}
