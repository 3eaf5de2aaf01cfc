namespace Elbo.Engine.Tensors;

// Unary elementwise math and activations.
public sealed partial class Tensor
{
    /// <summary>eˣ.</summary>
    public Tensor Exp() => throw new NotImplementedException("exp");
    /// <summary>ln x.</summary>
    public Tensor Log() => throw new NotImplementedException("log");
    /// <summary>√x.</summary>
    public Tensor Sqrt() => throw new NotImplementedException("sqrt");
    /// <summary>x².</summary>
    public Tensor Square() => throw new NotImplementedException("square");
    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => throw new NotImplementedException("relu");
    /// <summary>x for x ≥ 0, slope·x otherwise.</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f) => throw new NotImplementedException("leaky_relu");
    /// <summary>1 / (1 + e⁻ˣ).</summary>
    public Tensor Sigmoid() => throw new NotImplementedException("sigmoid");
    /// <summary>tanh x.</summary>
    public Tensor Tanh() => throw new NotImplementedException("tanh");
    /// <summary>log(1 + eˣ), stable.</summary>
    public Tensor Softplus() => throw new NotImplementedException("softplus");
}
