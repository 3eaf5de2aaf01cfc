using System.Numerics.Tensors;
using Elbo.Engine.Kernels;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>relu; backward from the input: dx = dy·[x &gt; 0].</summary>
internal sealed class ReluFunction : Function
{
    public static readonly ReluFunction Instance = new();
    public override string Name => "relu";

    // x (any) -> y (same)
    public static Tensor Forward(Tensor x) => UnaryOp.Forward(x, Instance, new ReluOperator());

    // dx = dy [x > 0]
    public override void Backward(Tensor y) => UnaryOp.Backward(y, y.In0!.Data, new ReluBackwardOperator());
}

/// <summary>leaky_relu with its slope in FArg0; backward from the input: dx = dy for x &gt; 0, slope·dy otherwise.</summary>
internal sealed class LeakyReluFunction : Function
{
    public static readonly LeakyReluFunction Instance = new();
    public override string Name => "leaky_relu";

    // x (any) -> y (same)
    public static Tensor Forward(Tensor x, float slope)
    {
        var y = UnaryOp.Forward(x, Instance, new LeakyReluOperator(slope));
        y.FArg0 = slope;
        return y;
    }

    // dx = dy (x > 0) or slope dy
    public override void Backward(Tensor y) => UnaryOp.Backward(y, y.In0!.Data, new LeakyReluBackwardOperator(y.FArg0));
}

/// <summary>sigmoid; backward from the output: dx = dy·y·(1 − y).</summary>
internal sealed class SigmoidFunction : Function
{
    public static readonly SigmoidFunction Instance = new();
    public override string Name => "sigmoid";

    // x (any) -> y (same)
    public static Tensor Forward(Tensor x) => UnaryOp.Forward(x, Instance, static (a, b) => TensorPrimitives.Sigmoid(a, b));

    // dx = dy y (1 - y)
    public override void Backward(Tensor y) => UnaryOp.Backward(y, y.Data, new SigmoidBackwardOperator());
}

/// <summary>tanh; backward from the output: dx = dy·(1 − y²).</summary>
internal sealed class TanhFunction : Function
{
    public static readonly TanhFunction Instance = new();
    public override string Name => "tanh";

    // x (any) -> y (same)
    public static Tensor Forward(Tensor x) => UnaryOp.Forward(x, Instance, static (a, b) => TensorPrimitives.Tanh(a, b));

    // dx = dy (1 - y^2)
    public override void Backward(Tensor y) => UnaryOp.Backward(y, y.Data, new TanhBackwardOperator());
}

/// <summary>softplus, stable; backward from the input: dx = dy·sigmoid(x).</summary>
internal sealed class SoftplusFunction : Function
{
    public static readonly SoftplusFunction Instance = new();
    public override string Name => "softplus";

    // x (any) -> y (same)
    public static Tensor Forward(Tensor x) => UnaryOp.Forward(x, Instance, new SoftplusOperator());

    // dx = dy sigmoid(x)
    public override void Backward(Tensor y) => UnaryOp.Backward(y, y.In0!.Data, new SoftplusBackwardOperator());
}
