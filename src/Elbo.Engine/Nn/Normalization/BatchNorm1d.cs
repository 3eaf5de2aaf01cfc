namespace Elbo.Engine.Nn;

/// <summary>Batch normalization of (N,C) or (N,C,L) inputs over the batch (and length) per channel
/// (torch.nn.BatchNorm1d): defaults eps 1e-5, momentum 0.1, affine.</summary>
public sealed class BatchNorm1d : BatchNormBase
{
    /// <summary>Creates the layer for <paramref name="numFeatures"/> channels.</summary>
    public BatchNorm1d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true)
        : base(numFeatures, eps, momentum, affine)
    {
    }

    /// <inheritdoc/>
    protected override string OpName => "batch_norm1d";

    /// <inheritdoc/>
    // x (N,C) → y (N,C); x (N,C,L) is normalized as (N,C,L,1)
    public override Tensor Forward(Tensor x)
    {
        if (x.Rank == 2) return Normalize(x);
        if (x.Rank == 3)
        {
            int n = x.Dim(0), c = x.Dim(1), l = x.Dim(2);
            return Normalize(x.Reshape([n, c, l, 1])).Reshape([n, c, l]);
        }
        throw new ArgumentException($"batch_norm1d: expected an input of rank 2 or 3, got {x.ShapeString}");
    }
}
