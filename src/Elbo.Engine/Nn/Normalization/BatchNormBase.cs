using System.Globalization;

namespace Elbo.Engine.Nn;

/// <summary>The state shared by <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/> (PyTorch's _BatchNorm):
/// optional affine weight (ones) and bias (zeros), and the buffers running_mean (zeros), running_var (ones) and
/// num_batches_tracked (a one-element float tensor counting training batches).</summary>
public abstract class BatchNormBase : Module
{
    /// <summary>Creates the parameters and buffers for <paramref name="numFeatures"/> channels.</summary>
    protected BatchNormBase(int numFeatures, float eps, float momentum, bool affine)
    {
        if (numFeatures <= 0) throw new ArgumentException($"{OpName}: num_features {numFeatures} must be positive");
        if (!(eps > 0)) throw new ArgumentException($"{OpName}: eps {eps} must be positive");
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentException($"{OpName}: momentum {momentum} must be in [0, 1]");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(numFeatures));
            Bias = RegisterParameter("bias", Tensor.Zeros(numFeatures));
        }
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(numFeatures));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones(numFeatures));
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Scalar(0f));
    }

    /// <summary>The op name used in messages (batch_norm1d, batch_norm2d).</summary>
    protected abstract string OpName { get; }

    /// <summary>The number of channels C.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Eps { get; }

    /// <summary>The weight of the new batch statistics in the running averages.</summary>
    public float Momentum { get; }

    /// <summary>The per-channel scale γ (C), or null without affine.</summary>
    public Tensor? Weight { get; }

    /// <summary>The per-channel shift β (C), or null without affine.</summary>
    public Tensor? Bias { get; }

    /// <summary>The running mean (C), a buffer.</summary>
    public Tensor RunningMean { get; }

    /// <summary>The running (unbiased) variance (C), a buffer.</summary>
    public Tensor RunningVar { get; }

    /// <summary>How many training batches have updated the running statistics (a one-element buffer).</summary>
    public Tensor NumBatchesTracked { get; }

    /// <summary>Normalizes x, whose dimension 1 has <see cref="NumFeatures"/> channels and whose rank is 2 or 4.</summary>
    // x (N,C) or (N,C,H,W) → y same shape
    protected Tensor Normalize(Tensor x, float? leakySlope = null)
    {
        if (x.Dim(1) != NumFeatures)
            throw new ArgumentException($"{OpName}: input {x.ShapeString} has {x.Dim(1)} channels in dimension 1, expected {NumFeatures}");
        var y = leakySlope is { } slope
            ? Functional.BatchNormLeakyRelu(x, RunningMean, RunningVar, Weight, Bias, Training, slope, Momentum, Eps)
            : Functional.BatchNorm(x, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps);
        if (Training) NumBatchesTracked.Data[0] += 1f;
        return y;
    }

    /// <summary>leaky_relu(Forward(x)) in one op: what <see cref="Sequential"/> runs for this module followed by a
    /// <see cref="LeakyReLU"/>. The default runs the two one after the other.</summary>
    internal virtual Tensor ForwardThenLeakyRelu(Tensor x, float negativeSlope) => Forward(x).LeakyRelu(negativeSlope);

    /// <inheritdoc/>
    protected override string ExtraRepr() => string.Create(CultureInfo.InvariantCulture,
        $"{NumFeatures}, eps={Eps}, momentum={Momentum}, affine={(Weight != null ? "True" : "False")}, track_running_stats=True");
}
