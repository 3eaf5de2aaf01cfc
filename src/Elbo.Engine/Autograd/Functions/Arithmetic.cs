using System.Numerics.Tensors;
using Elbo.Engine.Tensors;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>add, sub, mul, div with numpy broadcasting, and their scalar forms. Backward sums the gradient over
/// the dimensions an operand was broadcast along.</summary>
internal static class Arithmetic
{
    public static Tensor Binary<TOp>(Tensor a, Tensor b, Function fn) where TOp : IBinarySpanOp
    {
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        int rank = Broadcasting.OutShape(a, b, shape, fn.Name);
        var y = Tensor.Result(shape[..rank]);
        Broadcasting.Apply<TOp>(a.Data, a.Shape, b.Data, b.Shape, y.Data, y.Shape);
        y.Record(fn, a, b);
        return y;
    }

    /// <summary>Adds <paramref name="full"/> (output-shaped) into <paramref name="input"/>'s gradient, reduced over
    /// broadcast dimensions.</summary>
    public static void AccumulateReduced(Tensor input, ReadOnlySpan<float> full, ReadOnlySpan<int> outShape)
    {
        var g = input.GradTarget();
        Broadcasting.ReduceTo(full, outShape, g.Span, input.Shape, g.Overwrite);
    }

    /// <summary>A scratch tensor for backward (in the arena when there is one).</summary>
    public static Tensor Scratch(ReadOnlySpan<int> shape) => Tensor.Result(shape);
}

internal sealed class AddFunction : Function
{
    public static readonly AddFunction Instance = new();
    public override string Name => "add";

    // y = a + b (broadcast); da = reduce(dy), db = reduce(dy)
    public override void Backward(Tensor y)
    {
        var dy = y.GradData;
        if (y.In0!.RequiresGrad) Arithmetic.AccumulateReduced(y.In0, dy, y.Shape);
        if (y.In1!.RequiresGrad) Arithmetic.AccumulateReduced(y.In1, dy, y.Shape);
    }
}

internal sealed class SubFunction : Function
{
    public static readonly SubFunction Instance = new();
    public override string Name => "sub";

    // y = a - b; da = reduce(dy), db = -reduce(dy)
    public override void Backward(Tensor y)
    {
        var dy = y.GradData;
        if (y.In0!.RequiresGrad) Arithmetic.AccumulateReduced(y.In0, dy, y.Shape);
        var b = y.In1!;
        if (!b.RequiresGrad) return;
        if (b.Numel == y.Numel)
        {
            var g = b.GradTarget();
            if (g.Overwrite) TensorPrimitives.Negate(dy, g.Span);
            else TensorPrimitives.Subtract(g.Span, dy, g.Span);
            return;
        }
        var t = Arithmetic.Scratch(y.Shape);
        TensorPrimitives.Negate(dy, t.Data);
        Arithmetic.AccumulateReduced(b, t.Data, y.Shape);
    }
}

internal sealed class MulFunction : Function
{
    public static readonly MulFunction Instance = new();
    public override string Name => "mul";

    // y = a * b; da = reduce(dy * b), db = reduce(dy * a)
    public override void Backward(Tensor y)
    {
        var a = y.In0!;
        var b = y.In1!;
        if (a.RequiresGrad) Partial(a, b, y);
        if (b.RequiresGrad) Partial(b, a, y);
    }

    private static void Partial(Tensor self, Tensor other, Tensor y)
    {
        var dy = y.GradData;
        if (self.Numel == y.Numel && other.Numel == y.Numel)
        {
            var g = self.GradTarget();
            if (g.Overwrite) TensorPrimitives.Multiply(dy, other.Data, g.Span);
            else TensorPrimitives.MultiplyAdd(dy, other.Data, g.Span, g.Span);
            return;
        }
        var t = Arithmetic.Scratch(y.Shape);
        Broadcasting.Apply<MulOp>(dy, y.Shape, other.Data, other.Shape, t.Data, y.Shape);
        Arithmetic.AccumulateReduced(self, t.Data, y.Shape);
    }
}

internal sealed class DivFunction : Function
{
    public static readonly DivFunction Instance = new();
    public override string Name => "div";

    // y = a / b; da = reduce(dy / b), db = reduce(-dy * y / b)
    public override void Backward(Tensor y)
    {
        var a = y.In0!;
        var b = y.In1!;
        var dy = y.GradData;
        if (a.RequiresGrad)
        {
            var t = Arithmetic.Scratch(y.Shape);
            Broadcasting.Apply<DivOp>(dy, y.Shape, b.Data, b.Shape, t.Data, y.Shape);
            Arithmetic.AccumulateReduced(a, t.Data, y.Shape);
        }
        if (b.RequiresGrad)
        {
            var t = Arithmetic.Scratch(y.Shape);
            Broadcasting.Apply<DivOp>(y.Data, y.Shape, b.Data, b.Shape, t.Data, y.Shape);
            TensorPrimitives.Multiply(t.Data, dy, t.Data);
            TensorPrimitives.Negate(t.Data, t.Data);
            Arithmetic.AccumulateReduced(b, t.Data, y.Shape);
        }
    }
}

/// <summary>y = x * FArg0 + FArg1 (scale and shift by constants).</summary>
internal sealed class AffineScalarFunction : Function
{
    public static readonly AffineScalarFunction Instance = new();
    public override string Name => "affine_scalar";

    public static Tensor Forward(Tensor x, float scale, float shift)
    {
        var y = Tensor.Result(x.Shape);
        if (scale == 1f) TensorPrimitives.Add(x.Data, shift, y.Data);
        else if (shift == 0f) TensorPrimitives.Multiply(x.Data, scale, y.Data);
        else
        {
            TensorPrimitives.Multiply(x.Data, scale, y.Data);
            TensorPrimitives.Add(y.Data, shift, y.Data);
        }
        if (y.Record(Instance, x))
        {
            y.FArg0 = scale;
            y.FArg1 = shift;
        }
        return y;
    }

    // dx = dy * scale
    public override void Backward(Tensor y)
    {
        var x = y.In0!;
        if (!x.RequiresGrad) return;
        var g = x.GradTarget();
        float scale = y.FArg0;
        if (g.Overwrite) TensorPrimitives.Multiply(y.GradData, scale, g.Span);
        else TensorPrimitives.MultiplyAdd(y.GradData, scale, g.Span, g.Span);
    }
}
