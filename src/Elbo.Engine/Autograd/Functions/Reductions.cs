using System.Numerics.Tensors;
using Elbo.Engine.Tensors;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>sum and mean, over all elements or one dimension (kept as size 1 or dropped). The input is viewed as
/// (outer, d, inner) around the reduced dimension.</summary>
internal sealed class SumFunction : Function
{
    public static readonly SumFunction Instance = new();
    public override string Name => "sum";

    /// <summary>scale·Σx over everything (a rank-0 result).</summary>
    public static Tensor ForwardAll(Tensor x, float scale)
    {
        var y = Tensor.Result([]);
        y.Data[0] = scale * TensorPrimitives.Sum(x.Data);
        if (y.Record(Instance, x))
        {
            y.FArg0 = scale;
            y.IArg0 = -1;
        }
        return y;
    }

    /// <summary>scale·Σ over dimension <paramref name="dim"/>.</summary>
    public static Tensor ForwardDim(Tensor x, int dim, bool keepDim, float scale, string op)
    {
        int d = Shapes.NormalizeDim(dim, x.Rank, op);
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        int rank = ReducedShape(x.Shape, d, keepDim, shape);
        var y = Tensor.Result(shape[..rank]);
        int outer = Shapes.Product(x.Shape, 0, d), size = x.Dim(d), inner = Shapes.Product(x.Shape, d + 1, x.Rank);
        var xd = x.Data;
        var yd = y.Data;
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                yd[o] = scale * TensorPrimitives.Sum(xd.Slice(o * size, size));
                continue;
            }
            var row = yd.Slice(o * inner, inner);
            if (size == 0) { row.Clear(); continue; }
            xd.Slice(o * size * inner, inner).CopyTo(row);
            for (int j = 1; j < size; j++) TensorPrimitives.Add(row, xd.Slice((o * size + j) * inner, inner), row);
            if (scale != 1f) TensorPrimitives.Multiply(row, scale, row);
        }
        if (y.Record(Instance, x))
        {
            y.FArg0 = scale;
            y.IArg0 = d;
        }
        return y;
    }

    internal static int ReducedShape(ReadOnlySpan<int> shape, int d, bool keepDim, Span<int> result)
    {
        int r = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if (i == d)
            {
                if (keepDim) result[r++] = 1;
                continue;
            }
            result[r++] = shape[i];
        }
        return r;
    }

    // dx[o, j, i] = scale * dy[o, i]
    public override void Backward(Tensor y)
    {
        var x = y.In0!;
        if (!x.RequiresGrad) return;
        var g = x.GradTarget();
        float scale = y.FArg0;
        var dy = y.GradData;
        var dx = g.Span;
        if (y.IArg0 < 0)
        {
            float v = scale * dy[0];
            if (g.Overwrite) dx.Fill(v);
            else TensorPrimitives.Add(dx, v, dx);
            return;
        }
        int d = y.IArg0;
        int outer = Shapes.Product(x.Shape, 0, d), size = x.Dim(d), inner = Shapes.Product(x.Shape, d + 1, x.Rank);
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                var seg = dx.Slice(o * size, size);
                float v = scale * dy[o];
                if (g.Overwrite) seg.Fill(v);
                else TensorPrimitives.Add(seg, v, seg);
                continue;
            }
            var src = dy.Slice(o * inner, inner);
            for (int j = 0; j < size; j++)
            {
                var dst = dx.Slice((o * size + j) * inner, inner);
                if (g.Overwrite) TensorPrimitives.Multiply(src, scale, dst);
                else TensorPrimitives.MultiplyAdd(src, scale, dst, dst);
            }
        }
    }
}

/// <summary>log Σ exp over one dimension, stable (the maximum is subtracted first).</summary>
internal sealed class LogSumExpFunction : Function
{
    public static readonly LogSumExpFunction Instance = new();
    public override string Name => "logsumexp";

    // x (..., d, ...) -> y with d reduced; y = m + log Σ_j exp(x_j - m), m = max_j x_j
    public static Tensor Forward(Tensor x, int dim, bool keepDim)
    {
        int d = Shapes.NormalizeDim(dim, x.Rank, "logsumexp");
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        int rank = SumFunction.ReducedShape(x.Shape, d, keepDim, shape);
        var y = Tensor.Result(shape[..rank]);
        int outer = Shapes.Product(x.Shape, 0, d), size = x.Dim(d), inner = Shapes.Product(x.Shape, d + 1, x.Rank);
        var xd = x.Data;
        var yd = y.Data;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * size * inner + i;
                float m = float.NegativeInfinity;
                for (int j = 0; j < size; j++) m = MathF.Max(m, xd[b + j * inner]);
                if (float.IsNegativeInfinity(m) || float.IsPositiveInfinity(m) || float.IsNaN(m))
                {
                    yd[o * inner + i] = m;
                    continue;
                }
                double s = 0;
                for (int j = 0; j < size; j++) s += Math.Exp(xd[b + j * inner] - m);
                yd[o * inner + i] = m + (float)Math.Log(s);
            }
        if (y.Record(Instance, x)) y.IArg0 = d;
        return y;
    }

    // dx_j = dy * exp(x_j - y)  (the softmax over the dimension)
    public override void Backward(Tensor y)
    {
        var x = y.In0!;
        if (!x.RequiresGrad) return;
        var g = x.GradTarget();
        int d = y.IArg0;
        int outer = Shapes.Product(x.Shape, 0, d), size = x.Dim(d), inner = Shapes.Product(x.Shape, d + 1, x.Rank);
        var xd = x.Data;
        var yd = y.Data;
        var dy = y.GradData;
        var dx = g.Span;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * size * inner + i;
                float lse = yd[o * inner + i], up = dy[o * inner + i];
                for (int j = 0; j < size; j++)
                {
                    float v = float.IsNegativeInfinity(lse) ? 0f : up * MathF.Exp(xd[b + j * inner] - lse);
                    if (g.Overwrite) dx[b + j * inner] = v;
                    else dx[b + j * inner] += v;
                }
            }
    }
}
