using Elbo.Engine.Autograd.Functions;

namespace Elbo.Engine.Nn;

public static partial class Functional
{
    /// <summary>Batch normalization over dimension 1 of x (N,C) or (N,C,H,W). Training: normalizes with the batch
    /// statistics (biased variance) and updates the running averages in place with <paramref name="momentum"/>
    /// (unbiased variance, as PyTorch); eval: uses the running statistics. weight/bias (C) or null.</summary>
    public static Tensor BatchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum = 0.1f, float eps = 1e-5f)
        => BatchNormFunction.Forward(x, runningMean, runningVar, weight, bias, training, momentum, eps);

    /// <summary>leaky_relu(batch_norm(x)) as one op: the values and gradients of <see cref="BatchNorm"/> followed by
    /// <see cref="Tensor.LeakyRelu(float)"/>, with fewer passes over the activation and no intermediate tensor.</summary>
    public static Tensor BatchNormLeakyRelu(Tensor x, Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias,
        bool training, float negativeSlope = 0.01f, float momentum = 0.1f, float eps = 1e-5f)
        => BatchNormFunction.Forward(x, runningMean, runningVar, weight, bias, training, momentum, eps, negativeSlope);
}
