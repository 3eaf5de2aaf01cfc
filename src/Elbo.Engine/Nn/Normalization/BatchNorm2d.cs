namespace Elbo.Engine.Nn;

/// <summary>Batch normalization of (N,C,H,W) inputs over batch and space per channel (torch.nn.BatchNorm2d):
/// defaults eps 1e-5, momentum 0.1, affine.</summary>
public sealed class BatchNorm2d : BatchNormBase
{
    /// <summary>Creates the layer for <paramref name="numFeatures"/> channels.</summary>
    public BatchNorm2d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true)
        : base(numFeatures, eps, momentum, affine)
    {
    }

    /// <inheritdoc/>
    protected override string OpName => "batch_norm2d";

    /// <inheritdoc/>
    // x (N,C,H,W) → y (N,C,H,W)
    public override Tensor Forward(Tensor x)
    {
        CheckRank(x);
        return Normalize(x);
    }

    /// <inheritdoc/>
    internal override Tensor ForwardThenLeakyRelu(Tensor x, float negativeSlope)
    {
        CheckRank(x);
        return Normalize(x, negativeSlope);
    }

    private static void CheckRank(Tensor x)
    {
        if (x.Rank != 4) throw new ArgumentException($"batch_norm2d: expected an input of rank 4 (N,C,H,W), got {x.ShapeString}");
    }
}
