namespace Elbo.Engine.Nn;

public static partial class Functional
{
    /// <summary>Binary cross-entropy between Bernoulli logits and targets in [0,1], computed stably:
    /// max(x,0) − x·t + log(1 + exp(−|x|)). Never NaN for finite inputs.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean)
        => throw new NotImplementedException("binary_cross_entropy_with_logits");

    /// <summary>Squared error (input − target)².</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
        => throw new NotImplementedException("mse_loss");

    /// <summary>Gaussian negative log-likelihood of target under N(mean, exp(logVar)), elementwise
    /// 0.5·(log 2π + logVar + (target − mean)²·exp(−logVar)); the log 2π constant only when <paramref name="full"/>.</summary>
    public static Tensor GaussianNllLoss(Tensor mean, Tensor logVar, Tensor target, Reduction reduction = Reduction.Mean, bool full = true)
        => throw new NotImplementedException("gaussian_nll_loss");

    /// <summary>Zeroes each element with probability p and scales the rest by 1/(1−p) when training; identity otherwise.</summary>
    public static Tensor Dropout(Tensor x, float p, bool training, Generator generator)
        => throw new NotImplementedException("dropout");
}
