using System.Numerics.Tensors;
using Elbo.Engine.Tensors;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>A binary elementwise operation on spans, in the three forms a broadcast loop needs.</summary>
internal interface IBinarySpanOp
{
    static abstract void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d);
    static abstract void Apply(ReadOnlySpan<float> x, float y, Span<float> d);
    static abstract void Apply(float x, ReadOnlySpan<float> y, Span<float> d);
    static abstract float Apply(float x, float y);
}

internal readonly struct AddOp : IBinarySpanOp
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Add(x, y, d);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Add(x, y, d);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Add(y, x, d);
    public static float Apply(float x, float y) => x + y;
}

internal readonly struct SubOp : IBinarySpanOp
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);
    public static float Apply(float x, float y) => x - y;
}

internal readonly struct MulOp : IBinarySpanOp
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Multiply(x, y, d);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Multiply(x, y, d);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Multiply(y, x, d);
    public static float Apply(float x, float y) => x * y;
}

internal readonly struct DivOp : IBinarySpanOp
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Divide(x, y, d);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Divide(x, y, d);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Divide(x, y, d);
    public static float Apply(float x, float y) => x / y;
}

/// <summary>
/// Numpy broadcasting for the binary operations: a loop over the output whose innermost run is handed to a span
/// kernel, after merging dimensions that are contiguous for both operands (so same-shape, scalar, row-vector and
/// column cases all become one or a few long span calls). Also the reverse: summing an output-shaped gradient down
/// to a broadcast operand's shape.
/// </summary>
internal static class Broadcasting
{
    /// <summary>Output shape of a binary op (numpy rules; throws naming the op and both shapes).</summary>
    public static int OutShape(Tensor a, Tensor b, Span<int> shape, string op) => Shapes.Broadcast(a.Shape, b.Shape, shape, op);

    /// <summary>d = op(a, b) with a and b broadcast to <paramref name="outShape"/>.</summary>
    public static void Apply<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<int> aShape, ReadOnlySpan<float> b, ReadOnlySpan<int> bShape,
        Span<float> d, ReadOnlySpan<int> outShape) where TOp : IBinarySpanOp
    {
        if (d.IsEmpty) return;
        if (a.Length == d.Length && b.Length == d.Length)
        {
            TOp.Apply(a, b, d);
            return;
        }
        if (b.Length == 1 && a.Length == d.Length)
        {
            TOp.Apply(a, b[0], d);
            return;
        }
        if (a.Length == 1 && b.Length == d.Length)
        {
            TOp.Apply(a[0], b, d);
            return;
        }
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        Span<int> sa = stackalloc int[Tensor.MaxRank];
        Span<int> sb = stackalloc int[Tensor.MaxRank];
        int rank = Plan(aShape, bShape, outShape, shape, sa, sb);
        int inner = shape[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1];
        int outer = d.Length / inner;
        Span<int> idx = stackalloc int[Tensor.MaxRank];
        idx.Clear();
        int offA = 0, offB = 0;
        for (int o = 0; o < outer; o++)
        {
            var row = d.Slice(o * inner, inner);
            if (ia != 0 && ib != 0) TOp.Apply(a.Slice(offA, inner), b.Slice(offB, inner), row);
            else if (ia != 0) TOp.Apply(a.Slice(offA, inner), b[offB], row);
            else if (ib != 0) TOp.Apply(a[offA], b.Slice(offB, inner), row);
            else row.Fill(TOp.Apply(a[offA], b[offB]));
            Advance(shape, sa, sb, idx, rank, ref offA, ref offB);
        }
    }

    /// <summary>Adds (or, with <paramref name="overwrite"/>, writes) the output-shaped <paramref name="full"/> summed
    /// over the broadcast dimensions into <paramref name="target"/> of shape <paramref name="targetShape"/>.</summary>
    public static void ReduceTo(ReadOnlySpan<float> full, ReadOnlySpan<int> outShape, Span<float> target, ReadOnlySpan<int> targetShape, bool overwrite)
    {
        if (target.Length == full.Length)
        {
            if (overwrite) full.CopyTo(target);
            else TensorPrimitives.Add(target, full, target);
            return;
        }
        if (overwrite) target.Clear();
        if (full.IsEmpty) return;
        if (target.Length == 1)
        {
            target[0] += TensorPrimitives.Sum(full);
            return;
        }
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        Span<int> st = stackalloc int[Tensor.MaxRank];
        Span<int> sf = stackalloc int[Tensor.MaxRank];
        int rank = Plan(targetShape, outShape, outShape, shape, st, sf);
        int inner = shape[rank - 1], it = st[rank - 1];
        int outer = full.Length / inner;
        Span<int> idx = stackalloc int[Tensor.MaxRank];
        idx.Clear();
        int offT = 0, offF = 0;
        for (int o = 0; o < outer; o++)
        {
            var row = full.Slice(o * inner, inner);
            if (it != 0)
            {
                var dst = target.Slice(offT, inner);
                TensorPrimitives.Add(dst, row, dst);
            }
            else target[offT] += TensorPrimitives.Sum(row);
            Advance(shape, st, sf, idx, rank, ref offT, ref offF);
        }
    }

    private static void Advance(ReadOnlySpan<int> shape, ReadOnlySpan<int> sa, ReadOnlySpan<int> sb, Span<int> idx, int rank, ref int offA, ref int offB)
    {
        for (int dim = rank - 2; dim >= 0; dim--)
        {
            idx[dim]++;
            offA += sa[dim];
            offB += sb[dim];
            if (idx[dim] < shape[dim]) return;
            offA -= sa[dim] * shape[dim];
            offB -= sb[dim] * shape[dim];
            idx[dim] = 0;
        }
    }

    // Broadcast strides of a and b over the output, with size-1 output dims dropped and adjacent dims merged where
    // both operands are contiguous across them (or both broadcast). Returns the rank (at least 1).
    private static int Plan(ReadOnlySpan<int> aShape, ReadOnlySpan<int> bShape, ReadOnlySpan<int> outShape, Span<int> shape, Span<int> sa, Span<int> sb)
    {
        int r = outShape.Length;
        Span<int> fa = stackalloc int[Tensor.MaxRank];
        Span<int> fb = stackalloc int[Tensor.MaxRank];
        Shapes.BroadcastStrides(aShape, outShape, fa);
        Shapes.BroadcastStrides(bShape, outShape, fb);
        int rank = 0;
        for (int i = 0; i < r; i++)
        {
            int size = outShape[i];
            if (size == 1) continue;
            if (rank > 0)
            {
                int p = rank - 1;
                // dims p (outer) and i (inner) merge when the outer stride equals inner stride × inner size, for both.
                if (sa[p] == fa[i] * size && sb[p] == fb[i] * size)
                {
                    shape[p] *= size;
                    sa[p] = fa[i];
                    sb[p] = fb[i];
                    continue;
                }
            }
            shape[rank] = size;
            sa[rank] = fa[i];
            sb[rank] = fb[i];
            rank++;
        }
        if (rank == 0)
        {
            shape[0] = 1;
            sa[0] = 1;
            sb[0] = 1;
            rank = 1;
        }
        return rank;
    }
}
