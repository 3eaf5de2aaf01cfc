using System.Numerics.Tensors;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>narrow: a copy of [start, start+length) along one dimension. The tensor is viewed as (outer, size, inner)
/// around that dimension, so the slice is one contiguous block of length·inner per outer index. IArg0 the dimension,
/// IArg1 the start.</summary>
internal sealed class NarrowFunction : Function
{
    public static readonly NarrowFunction Instance = new();
    public override string Name => "narrow";

    // x (..., size, ...) -> y (..., length, ...)
    public static Tensor Forward(Tensor x, int dim, int start, int length)
    {
        if (x.Rank == 0) throw new ArgumentException($"narrow: a tensor of shape {x.ShapeString} has no dimension to narrow");
        int d = Shapes.NormalizeDim(dim, x.Rank, "narrow");
        int size = x.Dim(d);
        if (start < 0 && start >= -size) start += size;
        if (start < 0 || length < 0 || (long)start + length > size)
            throw new ArgumentException($"narrow: slice [{start}, {start}+{length}) is out of range for dimension {d} of size {size} in {x.ShapeString}");
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        x.Shape.CopyTo(shape);
        shape[d] = length;
        var y = Tensor.Result(shape[..x.Rank]);
        int outer = Shapes.Product(x.Shape, 0, d), inner = Shapes.Product(x.Shape, d + 1, x.Rank);
        int block = length * inner;
        var xd = x.Data;
        var yd = y.Data;
        for (int o = 0; o < outer; o++)
            xd.Slice((o * size + start) * inner, block).CopyTo(yd.Slice(o * block, block));
        if (y.Record(Instance, x))
        {
            y.IArg0 = d;
            y.IArg1 = start;
        }
        return y;
    }

    // dx[o, start:start+length, i] (+)= dy[o, :, i]; when the gradient is stale, zeros everywhere else
    public override void Backward(Tensor y)
    {
        var x = y.In0!;
        if (!x.RequiresGrad) return;
        var g = x.GradTarget();
        int d = y.IArg0, start = y.IArg1;
        int size = x.Dim(d), length = y.Dim(d);
        int outer = Shapes.Product(x.Shape, 0, d), inner = Shapes.Product(x.Shape, d + 1, x.Rank);
        int block = length * inner;
        var dy = y.GradData;
        var dx = g.Span;
        for (int o = 0; o < outer; o++)
        {
            int rowStart = o * size * inner;
            var src = dy.Slice(o * block, block);
            var dst = dx.Slice(rowStart + start * inner, block);
            if (g.Overwrite)
            {
                dx.Slice(rowStart, start * inner).Clear();
                src.CopyTo(dst);
                int after = rowStart + (start + length) * inner;
                dx.Slice(after, rowStart + size * inner - after).Clear();
            }
            else TensorPrimitives.Add(dst, src, dst);
        }
    }
}

/// <summary>concat: joins tensors along one dimension (inputs in InList). Viewed as (outer, size_k, inner) per input,
/// the output row o is the inputs' blocks for o one after another. IArg0 the dimension.</summary>
internal sealed class ConcatFunction : Function
{
    public static readonly ConcatFunction Instance = new();
    public override string Name => "concat";

    // x_k (..., s_k, ...) -> y (..., Σ s_k, ...)
    public static Tensor Forward(ReadOnlySpan<Tensor> tensors, int dim)
    {
        if (tensors.Length == 0) throw new ArgumentException("concat: no tensors to join");
        var first = tensors[0];
        ArgumentNullException.ThrowIfNull(first);
        if (first.Rank == 0) throw new ArgumentException($"concat: tensor 0 of shape {first.ShapeString} has no dimension to join along");
        int d = Shapes.NormalizeDim(dim, first.Rank, "concat");
        long total = 0;
        for (int k = 0; k < tensors.Length; k++)
        {
            var t = tensors[k];
            ArgumentNullException.ThrowIfNull(t);
            if (t.Rank != first.Rank)
                throw new ArgumentException($"concat: tensor {k} of shape {t.ShapeString} and tensor 0 of shape {first.ShapeString} differ in rank");
            for (int i = 0; i < first.Rank; i++)
                if (i != d && t.Shape[i] != first.Shape[i])
                    throw new ArgumentException($"concat: tensor {k} of shape {t.ShapeString} and tensor 0 of shape {first.ShapeString} differ in dimension {i} (joining along {d})");
            total += t.Dim(d);
        }
        if (total > int.MaxValue) throw new ArgumentException("concat: the result is too large");
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        first.Shape.CopyTo(shape);
        shape[d] = (int)total;
        var y = Tensor.Result(shape[..first.Rank]);
        int outer = Shapes.Product(first.Shape, 0, d), inner = Shapes.Product(first.Shape, d + 1, first.Rank);
        int rowLength = (int)total * inner;
        var yd = y.Data;
        int offset = 0;
        for (int k = 0; k < tensors.Length; k++)
        {
            var t = tensors[k];
            int block = t.Dim(d) * inner;
            var td = t.Data;
            for (int o = 0; o < outer; o++)
                td.Slice(o * block, block).CopyTo(yd.Slice(o * rowLength + offset, block));
            offset += block;
        }
        if (y.RecordList(Instance, tensors)) y.IArg0 = d;
        return y;
    }

    // dx_k[o, :, i] (+)= dy[o, offset_k:offset_k+s_k, i]
    public override void Backward(Tensor y)
    {
        int d = y.IArg0;
        var list = y.InList!;
        int outer = Shapes.Product(y.Shape, 0, d), inner = Shapes.Product(y.Shape, d + 1, y.Rank);
        int rowLength = y.Dim(d) * inner;
        var dy = y.GradData;
        int offset = 0;
        for (int k = 0; k < y.InListCount; k++)
        {
            var t = list[k];
            int block = t.Dim(d) * inner;
            if (t.RequiresGrad)
            {
                var g = t.GradTarget();
                var dx = g.Span;
                for (int o = 0; o < outer; o++)
                {
                    var src = dy.Slice(o * rowLength + offset, block);
                    var dst = dx.Slice(o * block, block);
                    if (g.Overwrite) src.CopyTo(dst);
                    else TensorPrimitives.Add(dst, src, dst);
                }
            }
            offset += block;
        }
    }
}
