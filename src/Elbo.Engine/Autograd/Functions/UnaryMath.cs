using System.Numerics.Tensors;
using Elbo.Engine.Kernels;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>Shared forward/backward plumbing of the unary elementwise ops: a result of the input's shape, and a
/// backward rule dx (+)= op(saved, dy) through <see cref="BinaryDriver"/>, assigning when the gradient buffer is
/// stale and accumulating otherwise.</summary>
internal static class UnaryOp
{
    /// <summary>An elementwise map from one span to another of the same length.</summary>
    public delegate void SpanMap(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>y = op(x) elementwise, recorded with <paramref name="fn"/>.</summary>
    public static Tensor Forward<TOp>(Tensor x, Function fn, TOp op) where TOp : struct, IUnaryOperator
    {
        var y = Tensor.Result(x.Shape);
        UnaryDriver.Apply(x.Data, y.Data, false, op);
        y.Record(fn, x);
        return y;
    }

    /// <summary>y = map(x) for a span function (a TensorPrimitives operation), recorded with <paramref name="fn"/>.
    /// Pass a static lambda: the compiler caches it, so the call allocates nothing.</summary>
    public static Tensor Forward(Tensor x, Function fn, SpanMap map)
    {
        var y = Tensor.Result(x.Shape);
        map(x.Data, y.Data);
        y.Record(fn, x);
        return y;
    }

    /// <summary>dx (+)= op(saved, dy), where saved is the input or the output of the forward.</summary>
    public static void Backward<TOp>(Tensor y, ReadOnlySpan<float> saved, TOp op) where TOp : struct, IBinaryOperator
    {
        var x = y.In0!;
        if (!x.RequiresGrad) return;
        var g = x.GradTarget();
        BinaryDriver.Apply(saved, y.GradData, g.Span, !g.Overwrite, op);
    }
}

/// <summary>exp; backward from the output: dx = dy·y.</summary>
internal sealed class ExpFunction : Function
{
    public static readonly ExpFunction Instance = new();
    public override string Name => "exp";

    // x (any) -> y (same)
    public static Tensor Forward(Tensor x) => UnaryOp.Forward(x, Instance, static (a, b) => TensorPrimitives.Exp(a, b));

    // dx = dy * y
    public override void Backward(Tensor y) => UnaryOp.Backward(y, y.Data, new MultiplyOperator());
}

/// <summary>log; backward from the input: dx = dy / x.</summary>
internal sealed class LogFunction : Function
{
    public static readonly LogFunction Instance = new();
    public override string Name => "log";

    // x (any) -> y (same)
    public static Tensor Forward(Tensor x) => UnaryOp.Forward(x, Instance, static (a, b) => TensorPrimitives.Log(a, b));

    // dx = dy / x
    public override void Backward(Tensor y) => UnaryOp.Backward(y, y.In0!.Data, new LogBackwardOperator());
}

/// <summary>sqrt; backward from the output (already computed, unlike recomputing √x from the input):
/// dx = dy / (2y).</summary>
internal sealed class SqrtFunction : Function
{
    public static readonly SqrtFunction Instance = new();
    public override string Name => "sqrt";

    // x (any) -> y (same)
    public static Tensor Forward(Tensor x) => UnaryOp.Forward(x, Instance, static (a, b) => TensorPrimitives.Sqrt(a, b));

    // dx = dy / (2 y)
    public override void Backward(Tensor y) => UnaryOp.Backward(y, y.Data, new SqrtBackwardOperator());
}

/// <summary>square; backward from the input: dx = 2·x·dy.</summary>
internal sealed class SquareFunction : Function
{
    public static readonly SquareFunction Instance = new();
    public override string Name => "square";

    // x (any) -> y (same)
    public static Tensor Forward(Tensor x) => UnaryOp.Forward(x, Instance, static (a, b) => TensorPrimitives.Multiply(a, a, b));

    // dx = 2 x dy
    public override void Backward(Tensor y) => UnaryOp.Backward(y, y.In0!.Data, new SquareBackwardOperator());
}
