using Elbo.Engine.Autograd.Functions;

namespace Elbo.Engine.Tensors;

// Unary elementwise math and activations.
public sealed partial class Tensor
{
    /// <summary>eˣ.</summary>
    public Tensor Exp() => ExpFunction.Forward(this);
    /// <summary>ln x.</summary>
    public Tensor Log() => LogFunction.Forward(this);
    /// <summary>√x.</summary>
    public Tensor Sqrt() => SqrtFunction.Forward(this);
    /// <summary>x².</summary>
    public Tensor Square() => SquareFunction.Forward(this);
    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => ReluFunction.Forward(this);
    /// <summary>x for x ≥ 0, slope·x otherwise.</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f) => LeakyReluFunction.Forward(this, negativeSlope);
    /// <summary>1 / (1 + e⁻ˣ).</summary>
    public Tensor Sigmoid() => SigmoidFunction.Forward(this);
    /// <summary>tanh x.</summary>
    public Tensor Tanh() => TanhFunction.Forward(this);
    /// <summary>log(1 + eˣ), stable.</summary>
    public Tensor Softplus() => SoftplusFunction.Forward(this);
}
