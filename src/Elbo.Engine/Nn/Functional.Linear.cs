using Elbo.Engine.Autograd.Functions;

namespace Elbo.Engine.Nn;

/// <summary>Differentiable neural-network functions (PyTorch's torch.nn.functional), used by the modules.</summary>
public static partial class Functional
{
    /// <summary>y = x·Wᵀ + b. x (B,in), weight (out,in), bias (out) or null.</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null) => LinearFunction.Forward(x, weight, bias);
}
