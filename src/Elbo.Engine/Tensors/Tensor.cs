using System.Globalization;
using System.Text;
using Elbo.Engine.Autograd;

namespace Elbo.Engine.Tensors;

/// <summary>
/// A contiguous, row-major float32 tensor with a shape, and a node of the autodiff graph.
/// Results of operations run inside a <see cref="TensorArena"/> step live in that arena and are reused by the next
/// step; tensors made by the static factories (<see cref="Zeros(int[])"/>, <see cref="FromArray"/>, …) are ordinary
/// heap objects that live as long as they are referenced.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>The highest rank a tensor may have.</summary>
    public const int MaxRank = 6;

    private float[] _own;
    private readonly int[] _shape = new int[MaxRank];
    private int _rank;
    private int _numel;
    private Tensor? _grad;
    private bool _gradAbsent;

    /// <summary>The array holding the data; the same as the tensor's own array unless it is a view.</summary>
    internal float[] Storage;

    /// <summary>Set when the tensor belongs to a <see cref="TensorArena"/> (it will be reused by a later step).</summary>
    internal readonly TensorArena? Arena;

    // ---- autodiff graph: what produced this tensor and what its backward needs ----
    internal Function? GradFn;
    internal Tensor? In0, In1, In2;
    internal Tensor[]? InList;
    internal int InListCount;
    internal Tensor? Saved0, Saved1, Saved2;
    internal int IArg0, IArg1, IArg2, IArg3;
    internal float FArg0, FArg1;
    internal object? State;
    internal int VisitMark;

    private Tensor(int capacity, TensorArena? arena)
    {
        _own = capacity == 0 ? [] : new float[capacity];
        Storage = _own;
        Arena = arena;
    }

    /// <summary>Creates a heap tensor of the given shape, filled with zeros.</summary>
    internal static Tensor CreateHeap(ReadOnlySpan<int> shape)
    {
        int n = Shapes.Numel(shape, "tensor");
        var t = new Tensor(n, null);
        t.SetShape(shape, n);
        return t;
    }

    /// <summary>Creates a tensor for an operation's result: in the current arena step if there is one (contents
    /// unspecified: the operation must write every element), else on the heap (zeros).</summary>
    internal static Tensor Result(ReadOnlySpan<int> shape)
    {
        var arena = TensorArena.Current;
        return arena is null ? CreateHeap(shape) : arena.Rent(shape);
    }

    /// <summary>A result tensor of the given shape with every element set to zero.</summary>
    internal static Tensor ZeroResult(ReadOnlySpan<int> shape)
    {
        var arena = TensorArena.Current;
        if (arena is null) return CreateHeap(shape);
        var t = arena.Rent(shape);
        t.Data.Clear();
        return t;
    }

    /// <summary>A result that will share <paramref name="source"/>'s storage (a view): no buffer of its own is made.</summary>
    internal static Tensor ViewResult(ReadOnlySpan<int> shape, Tensor source)
    {
        var arena = TensorArena.Current;
        Tensor t;
        if (arena is null)
        {
            t = new Tensor(0, null);
            t.SetShape(shape, Shapes.Numel(shape, "view"));
        }
        else t = arena.Rent(shape, view: true);
        t.Storage = source.Storage;
        return t;
    }

    internal static Tensor NewPooled(int capacity, TensorArena arena) => new(capacity, arena);

    internal int Capacity => _own.Length;

    /// <summary>Re-initializes a pooled tensor for reuse: new shape, no graph, no gradient.</summary>
    internal void Reinitialize(ReadOnlySpan<int> shape, int numel, bool view)
    {
        if (!view && _own.Length < numel) _own = new float[numel];
        Storage = _own;
        SetShape(shape, numel);
        ClearGraph();
        _grad = null;
        _gradAbsent = false;
        RequiresGrad = false;
        Name = null;
    }

    internal void ClearGraph()
    {
        GradFn = null;
        In0 = In1 = In2 = null;
        if (InList != null) Array.Clear(InList, 0, InListCount);
        InListCount = 0;
        Saved0 = Saved1 = Saved2 = null;
        IArg0 = IArg1 = IArg2 = IArg3 = 0;
        FArg0 = FArg1 = 0;
        State = null;
    }

    private void SetShape(ReadOnlySpan<int> shape, int numel)
    {
        if (shape.Length > MaxRank)
            throw new ArgumentException($"tensor: rank {shape.Length} is above the maximum {MaxRank}");
        shape.CopyTo(_shape);
        _rank = shape.Length;
        _numel = numel;
    }

    // ---------------------------------------------------------------- shape and data

    /// <summary>The sizes of the dimensions.</summary>
    public ReadOnlySpan<int> Shape => _shape.AsSpan(0, _rank);

    /// <summary>The number of dimensions.</summary>
    public int Rank => _rank;

    /// <summary>The number of elements.</summary>
    public int Numel => _numel;

    /// <summary>The size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Dim(int dim) => _shape[Shapes.NormalizeDim(dim, _rank, "size")];

    /// <summary>The elements, row-major.</summary>
    public Span<float> Data => Storage.AsSpan(0, _numel);

    /// <summary>A name for messages and state dicts (optional).</summary>
    public string? Name { get; set; }

    /// <summary>The shape as a new array.</summary>
    public int[] ShapeArray() => Shape.ToArray();

    /// <summary>The shape written as (a,b,c).</summary>
    public string ShapeString => Shapes.Format(Shape);

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (_numel != 1) throw new InvalidOperationException($"item: tensor of shape {ShapeString} has {_numel} elements, not 1");
        return Storage[0];
    }

    /// <summary>A copy of the elements.</summary>
    public float[] ToArray() => Data.ToArray();

    /// <summary>The element at a multi-index.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[params int[] index]
    {
        get => Storage[FlatIndex(index)];
        set => Storage[FlatIndex(index)] = value;
    }

    private int FlatIndex(int[] index)
    {
        if (index.Length != _rank)
            throw new ArgumentException($"index: {index.Length} indices for a tensor of shape {ShapeString}");
        int flat = 0;
        for (int d = 0; d < _rank; d++)
        {
            if ((uint)index[d] >= (uint)_shape[d])
                throw new IndexOutOfRangeException($"index: {index[d]} is out of range for dimension {d} of shape {ShapeString}");
            flat = flat * _shape[d] + index[d];
        }
        return flat;
    }

    // ---------------------------------------------------------------- gradients

    /// <summary>Whether gradients flow to this tensor. Set it on leaves (parameters, inputs to differentiate).</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>True for tensors not produced by a recorded operation (parameters, data).</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>The accumulated gradient, or null when none has been computed since the last <see cref="ZeroGrad"/>.</summary>
    public Tensor? Grad
    {
        get => _gradAbsent ? null : _grad;
        set
        {
            if (value != null && !value.Shape.SequenceEqual(Shape))
                throw new ArgumentException($"grad: shape {value.ShapeString} does not match tensor shape {ShapeString}");
            _grad = value;
            _gradAbsent = false;
        }
    }

    /// <summary>Forgets the gradient (like PyTorch's set_to_none) while keeping its buffer for reuse.</summary>
    public void ZeroGrad()
    {
        if (_grad != null) _gradAbsent = true;
    }

    /// <summary>Where a backward rule writes this tensor's gradient. When <see cref="GradTarget.Overwrite"/> is set the
    /// gradient buffer holds stale data and the rule must write every element (assign instead of add).</summary>
    internal GradTarget GradTarget()
    {
        if (_grad == null)
        {
            _grad = Arena != null ? Arena.Rent(Shape) : CreateHeap(Shape);
            _gradAbsent = false;
            return new GradTarget(_grad.Data, overwrite: true);
        }
        if (_gradAbsent)
        {
            _gradAbsent = false;
            return new GradTarget(_grad.Data, overwrite: true);
        }
        return new GradTarget(_grad.Data, overwrite: false);
    }

    /// <summary>The gradient buffer as a span (call after <see cref="GradTarget"/> has been taken by backward).</summary>
    internal ReadOnlySpan<float> GradData => _grad!.Data;

    /// <summary>Back-propagates from this one-element tensor: d this / d leaf is added to every leaf's
    /// <see cref="Grad"/>.</summary>
    public void Backward() => Backprop.Run(this, default);

    /// <summary>Back-propagates with an explicit upstream gradient of this tensor's shape.</summary>
    public void Backward(Tensor gradient) => Backprop.Run(this, gradient.Data);

    // ---------------------------------------------------------------- factories (heap tensors)

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => CreateHeap(shape);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A tensor with every element set to <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = CreateHeap(shape);
        t.Data.Fill(value);
        return t;
    }

    /// <summary>A one-element tensor of rank 0.</summary>
    public static Tensor Scalar(float value)
    {
        var t = CreateHeap([]);
        t.Storage[0] = value;
        return t;
    }

    /// <summary>A tensor holding a copy of <paramref name="values"/> in the given shape (by default, a vector).</summary>
    public static Tensor FromArray(float[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (shape.Length == 0) shape = [values.Length];
        var t = CreateHeap(shape);
        if (t.Numel != values.Length)
            throw new ArgumentException($"from_array: {values.Length} values do not fill shape {Shapes.Format(shape)} ({t.Numel} elements)");
        values.CopyTo(t.Storage, 0);
        return t;
    }

    /// <summary>Uniform samples from [low, high).</summary>
    public static Tensor Uniform(Generator generator, float low, float high, params int[] shape)
    {
        var t = CreateHeap(shape);
        generator.FillUniform(t.Data, low, high);
        return t;
    }

    /// <summary>Standard normal samples.</summary>
    public static Tensor Randn(Generator generator, params int[] shape)
    {
        var t = CreateHeap(shape);
        generator.FillNormal(t.Data);
        return t;
    }

    /// <summary>A heap copy with the same shape and data, outside any graph and arena (safe to keep).</summary>
    public Tensor Clone()
    {
        var t = CreateHeap(Shape);
        Data.CopyTo(t.Data);
        return t;
    }

    /// <summary>Copies <paramref name="source"/>'s data into this tensor (same number of elements), outside the graph.</summary>
    public void CopyFrom(Tensor source)
    {
        if (source.Numel != Numel)
            throw new ArgumentException($"copy_from: {source.ShapeString} into {ShapeString}: element counts differ");
        source.Data.CopyTo(Data);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("tensor").Append(ShapeString).Append(" [");
        int shown = Math.Min(_numel, 8);
        for (int i = 0; i < shown; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Storage[i].ToString("G5", CultureInfo.InvariantCulture));
        }
        if (_numel > shown) sb.Append(", …");
        sb.Append(']');
        if (GradFn != null) sb.Append(" grad_fn=").Append(GradFn.Name);
        else if (RequiresGrad) sb.Append(" requires_grad");
        return sb.ToString();
    }
}

/// <summary>The gradient buffer handed to a backward rule, and whether it must be overwritten (it holds stale data)
/// rather than added to.</summary>
internal readonly ref struct GradTarget
{
    public readonly Span<float> Span;
    public readonly bool Overwrite;

    public GradTarget(Span<float> span, bool overwrite)
    {
        Span = span;
        Overwrite = overwrite;
    }

    /// <summary>GEMM's beta for writing into this target.</summary>
    public float Beta => Overwrite ? 0f : 1f;
}
