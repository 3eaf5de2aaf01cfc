using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Elbo.Engine.Onnx;

/// <summary>
/// Builds one ONNX graph (OnnxSharp's generated onnx.proto classes, serialized by Google.Protobuf): inputs with a
/// symbolic batch dimension, weights as named initializers, nodes whose outputs get unique names from a stem (the
/// module's dotted path, as PyTorch names them), and named outputs. Each node method checks and tracks the shape of
/// what it makes (<see cref="OnnxValue"/>). <see cref="ToModel"/> wraps the graph in a model of a chosen opset.
/// No node draws random numbers: a graph is a deterministic function of its inputs.
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>The name of the symbolic batch dimension of every input and output.</summary>
    public const string BatchDim = "batch";

    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _outputs = new(StringComparer.Ordinal);
    private readonly Dictionary<float, OnnxValue> _scalars = [];

    /// <summary>An empty graph named <paramref name="name"/>.</summary>
    public OnnxGraph(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _graph = new GraphProto { Name = name };
    }

    /// <summary>The graph's name.</summary>
    public string Name => _graph.Name;

    /// <summary>The nodes so far, in order (for inspection and tests).</summary>
    public IReadOnlyList<NodeProto> Nodes => _graph.Node;

    // ---------------------------------------------------------------- inputs, weights, constants, outputs

    /// <summary>Declares a graph input <paramref name="name"/> of <paramref name="shape"/> (−1: the batch), with a
    /// description for readers of the file.</summary>
    public OnnxValue Input(string name, OnnxElementType type, ReadOnlySpan<int> shape, string description = "")
    {
        Reserve(name);
        var value = new OnnxValue(name, type, shape);
        _graph.Input.Add(ValueInfo(value, description));
        return value;
    }

    /// <summary>A float initializer named <paramref name="name"/> (a weight: <c>encoder.0.weight</c>) holding a copy
    /// of <paramref name="tensor"/>.</summary>
    public OnnxValue Initializer(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Reserve(name);
        var proto = new TensorProto { Name = name, DataType = (int)OnnxElementType.Float };
        foreach (int d in tensor.Shape) proto.Dims.Add(d);
        proto.RawData = LittleEndianBytes(tensor.Data);
        _graph.Initializer.Add(proto);
        return new OnnxValue(name, OnnxElementType.Float, tensor.Shape);
    }

    /// <summary>A float scalar constant (one initializer per distinct value).</summary>
    public OnnxValue Scalar(float value)
    {
        if (_scalars.TryGetValue(value, out var known)) return known;
        string name = Fresh("const/" + value.ToString("R", CultureInfo.InvariantCulture));
        var proto = new TensorProto { Name = name, DataType = (int)OnnxElementType.Float };
        proto.RawData = LittleEndianBytes([value]);
        _graph.Initializer.Add(proto);
        return _scalars[value] = new OnnxValue(name, OnnxElementType.Float, []);
    }

    /// <summary>A one-dimensional int64 constant (shapes, axes, starts, class numbers).</summary>
    public OnnxValue Int64s(string stem, ReadOnlySpan<long> values)
    {
        string name = Fresh(stem);
        var proto = new TensorProto { Name = name, DataType = (int)OnnxElementType.Int64 };
        proto.Dims.Add(values.Length);
        proto.RawData = LittleEndianBytes(values);
        _graph.Initializer.Add(proto);
        return new OnnxValue(name, OnnxElementType.Int64, [values.Length]);
    }

    /// <summary>Makes <paramref name="value"/> a graph output named <paramref name="name"/>, with a description. A
    /// value a node made is renamed in place (its consumers follow; a value made under that name keeps it); an input, a weight or a value that is already an
    /// output is passed through an Identity node.</summary>
    public void Output(OnnxValue value, string name, string description = "")
    {
        ArgumentNullException.ThrowIfNull(value);
        bool produced = _producers.TryGetValue(value.Name, out var producer) && !_outputs.Contains(value.Name);
        if (produced && value.Name == name)
        {
            // already named so
        }
        else if (produced && producer != null)
        {
            Reserve(name);
            string old = value.Name;
            foreach (var node in _graph.Node)
                for (int i = 0; i < node.Input.Count; i++)
                    if (node.Input[i] == old) node.Input[i] = name;
            for (int i = 0; i < producer.Output.Count; i++)
                if (producer.Output[i] == old) producer.Output[i] = name;
            _producers.Remove(old);
            _producers[name] = producer;
            _names.Remove(old);
            value.Name = name;
        }
        else
        {
            Reserve(name);
            Emit("Identity", [value], name, []);
        }
        _outputs.Add(name);
        _graph.Output.Add(ValueInfo(new OnnxValue(name, value.Type, value.Shape), description));
    }

    // ---------------------------------------------------------------- nodes

    /// <summary>A node of operator <paramref name="op"/> on <paramref name="inputs"/> with one output of
    /// <paramref name="shape"/>, named from <paramref name="stem"/>. The caller states the shape; the typed helpers
    /// below compute it.</summary>
    public OnnxValue Node(string op, IReadOnlyList<OnnxValue> inputs, string stem, ReadOnlySpan<int> shape,
        OnnxElementType type = OnnxElementType.Float, params AttributeProto[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(op);
        ArgumentNullException.ThrowIfNull(inputs);
        string name = Fresh(stem);
        Emit(op, inputs, name, attributes);
        return new OnnxValue(name, type, shape);
    }

    /// <summary>An elementwise op of one input (Relu, Sigmoid, Exp, Abs, Neg, Reciprocal, Identity, …): same shape.</summary>
    public OnnxValue Unary(string op, OnnxValue x, string stem, params AttributeProto[] attributes) =>
        Node(op, [x], stem, x.Shape, x.Type, attributes);

    /// <summary>An elementwise op of two inputs with NumPy broadcasting (Add, Sub, Mul, Div; Less, Greater, Equal give
    /// bool).</summary>
    public OnnxValue Binary(string op, OnnxValue a, OnnxValue b, string stem)
    {
        var type = op is "Less" or "Greater" or "Equal" or "LessOrEqual" or "GreaterOrEqual" ? OnnxElementType.Bool : a.Type;
        return Node(op, [a, b], stem, Broadcast(a.Shape, b.Shape, op), type);
    }

    /// <summary>Where(condition, a, b): a where the condition holds, else b.</summary>
    public OnnxValue Where(OnnxValue condition, OnnxValue a, OnnxValue b, string stem) =>
        Node("Where", [condition, a, b], stem, Broadcast(condition.Shape, Broadcast(a.Shape, b.Shape, "Where"), "Where"), a.Type);

    /// <summary>Elements <paramref name="start"/> … start + length − 1 of dimension <paramref name="dim"/>
    /// (<see cref="Tensor.Narrow"/>, ONNX Slice).</summary>
    public OnnxValue Narrow(OnnxValue x, int dim, int start, int length, string stem)
    {
        int d = Shapes.NormalizeDim(dim, x.Rank, "onnx narrow");
        int size = x.Dim(d);
        if (size < 0) throw new OnnxExportException($"onnx: {stem}: cannot narrow the batch dimension of {x}");
        if (start < 0 || length < 0 || start + length > size)
            throw new OnnxExportException($"onnx: {stem}: elements {start}..{start + length - 1} of dimension {d} do not fit {x}");
        var shape = x.Shape.ToArray();
        shape[d] = length;
        return Node("Slice", [x, Int64s(stem + "/starts", [start]), Int64s(stem + "/ends", [start + length]), Int64s(stem + "/axes", [d])],
            stem, shape, x.Type);
    }

    /// <summary>Joins <paramref name="values"/> along dimension <paramref name="dim"/> (<see cref="Tensor.Concat"/>).</summary>
    public OnnxValue Concat(IReadOnlyList<OnnxValue> values, int dim, string stem)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("onnx concat: no values");
        int d = Shapes.NormalizeDim(dim, values[0].Rank, "onnx concat");
        var shape = values[0].Shape.ToArray();
        shape[d] = 0;
        foreach (var v in values)
        {
            if (v.Rank != shape.Length) throw new OnnxExportException($"onnx: {stem}: cannot concatenate {values[0]} and {v}");
            for (int i = 0; i < shape.Length; i++)
                if (i != d && v.Dim(i) != values[0].Dim(i)) throw new OnnxExportException($"onnx: {stem}: cannot concatenate {values[0]} and {v} along {d}");
            if (v.Dim(d) < 0) throw new OnnxExportException($"onnx: {stem}: cannot concatenate along the batch dimension");
            shape[d] += v.Dim(d);
        }
        return values.Count == 1 ? values[0] : Node("Concat", values, stem, shape, values[0].Type, OnnxAttribute.Int("axis", d));
    }

    /// <summary>x reshaped to <paramref name="shape"/>, whose one −1 is the batch (or the product of the dimensions it
    /// absorbs); the element counts must agree.</summary>
    public OnnxValue Reshape(OnnxValue x, ReadOnlySpan<int> shape, string stem)
    {
        if (Count(x.Shape, out bool inBatched) != Count(shape, out bool outBatched) || inBatched != outBatched)
            throw new OnnxExportException($"onnx: {stem}: cannot reshape {x} to {Shapes.Format(shape)}");
        var target = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++) target[i] = shape[i];
        return Node("Reshape", [x, Int64s(stem + "/shape", target)], stem, shape, x.Type);
    }

    /// <summary>Softmax along dimension <paramref name="dim"/>.</summary>
    public OnnxValue Softmax(OnnxValue x, int dim, string stem) =>
        Unary("Softmax", x, stem, OnnxAttribute.Int("axis", Shapes.NormalizeDim(dim, x.Rank, "onnx softmax")));

    /// <summary>The float one-hot rows (B, <paramref name="classes"/>) of int64 <paramref name="labels"/> (B): row i
    /// has 1 at column labels[i]; a label outside 0 … classes − 1 gives a row of zeros (Equal against 0 … classes − 1,
    /// then Cast, rather than ONNX OneHot, which counts negative labels from the end).</summary>
    public OnnxValue OneHot(OnnxValue labels, int classes, string stem)
    {
        if (labels.Rank != 1 || labels.Type != OnnxElementType.Int64)
            throw new OnnxExportException($"onnx: {stem}: one-hot needs int64 labels of shape (B,), got {labels}");
        var column = Node("Unsqueeze", [labels, Int64s(stem + "/axes", [1])], stem + "/column", [labels.Dim(0), 1], OnnxElementType.Int64);
        var range = new long[classes];
        for (int c = 0; c < classes; c++) range[c] = c;
        var classValues = Int64s(stem + "/classes", range);
        var equal = Node("Equal", [column, classValues], stem + "/equal", [labels.Dim(0), classes], OnnxElementType.Bool);
        return Node("Cast", [equal], stem, [labels.Dim(0), classes], OnnxElementType.Float, OnnxAttribute.Int("to", (long)OnnxElementType.Float));
    }

    // ---------------------------------------------------------------- the model

    /// <summary>The graph as a model of operator set <paramref name="opset"/> (the default domain, at the IR version
    /// of <see cref="OnnxOpset.IrVersion"/>), with <paramref name="metadata"/> as metadata_props and a doc string.
    /// The graph stays as it is and can be written at other opsets too.</summary>
    public ModelProto ToModel(int opset, IEnumerable<KeyValuePair<string, string>>? metadata = null, string docString = "",
        string producerVersion = "")
    {
        var model = new ModelProto
        {
            IrVersion = OnnxOpset.IrVersion(opset),
            ProducerName = "Elbo",
            ProducerVersion = producerVersion,
            DocString = docString,
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        if (metadata != null)
            foreach (var (key, value) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    // ---------------------------------------------------------------- helpers

    private void Emit(string op, IReadOnlyList<OnnxValue> inputs, string output, AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output + "/" + op };
        foreach (var v in inputs) node.Input.Add(v.Name);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        _producers[output] = node;
    }

    // A name not yet used: the stem itself, else stem_1, stem_2, …
    private string Fresh(string stem)
    {
        string name = stem;
        for (int i = 1; _names.Contains(name); i++) name = stem + "_" + i.ToString(CultureInfo.InvariantCulture);
        _names.Add(name);
        return name;
    }

    private void Reserve(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_names.Add(name)) throw new ArgumentException($"onnx: graph {Name} already has a value named '{name}'");
    }

    private static ValueInfoProto ValueInfo(OnnxValue value, string description)
    {
        var shape = new TensorShapeProto();
        foreach (int d in value.Shape)
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = BatchDim } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = value.Name,
            DocString = description,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)value.Type, Shape = shape } },
        };
    }

    // NumPy broadcasting of two shapes, aligned at the end; the batch (−1) broadcasts with itself and with 1.
    private static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string op)
    {
        int rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int ia = i - (rank - a.Length), ib = i - (rank - b.Length);
            int da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
            if (da == db || db == 1) shape[i] = da;
            else if (da == 1) shape[i] = db;
            else throw new OnnxExportException($"onnx: {op}: shapes {Shapes.Format(a)} and {Shapes.Format(b)} do not broadcast");
        }
        return shape;
    }

    // The element count without the batch, and whether a batch dimension is there.
    private static long Count(ReadOnlySpan<int> shape, out bool batched)
    {
        long n = 1;
        batched = false;
        foreach (int d in shape)
        {
            if (d < 0) batched = true;
            else n *= d;
        }
        return n;
    }

    private static ByteString LittleEndianBytes<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("onnx: writing initializers needs a little-endian machine");
        return ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
    }
}
