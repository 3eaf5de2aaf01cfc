using System.Numerics.Tensors;
using Elbo.Engine.Tensors;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>reshape/view: the same data under another shape (shares the input's storage; no copy).</summary>
internal sealed class ReshapeFunction : Function
{
    public static readonly ReshapeFunction Instance = new();
    public override string Name => "reshape";

    /// <summary>A view with <paramref name="shape"/>; one entry may be -1 (inferred).</summary>
    public static Tensor Forward(Tensor x, ReadOnlySpan<int> shape)
    {
        Span<int> s = stackalloc int[Tensor.MaxRank];
        if (shape.Length > Tensor.MaxRank)
            throw new ArgumentException($"reshape: rank {shape.Length} is above the maximum {Tensor.MaxRank}");
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            s[i] = shape[i];
            if (shape[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"reshape: {x.ShapeString} to {Shapes.Format(shape)}: only one dimension can be -1");
                infer = i;
            }
            else if (shape[i] < 0) throw new ArgumentException($"reshape: {x.ShapeString} to {Shapes.Format(shape)}: negative size");
            else known *= shape[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || x.Numel % known != 0)
                throw new ArgumentException($"reshape: {x.ShapeString} ({x.Numel} elements) cannot be viewed as {Shapes.Format(shape)}");
            s[infer] = (int)(x.Numel / known);
            known *= s[infer];
        }
        if (known != x.Numel)
            throw new ArgumentException($"reshape: {x.ShapeString} ({x.Numel} elements) cannot be viewed as {Shapes.Format(shape)}");
        var y = Tensor.ViewResult(s[..shape.Length], x);
        y.Record(Instance, x);
        return y;
    }

    // dx = dy (same elements, other shape)
    public override void Backward(Tensor y)
    {
        var x = y.In0!;
        if (!x.RequiresGrad) return;
        var g = x.GradTarget();
        if (g.Overwrite) y.GradData.CopyTo(g.Span);
        else TensorPrimitives.Add(g.Span, y.GradData, g.Span);
    }
}
