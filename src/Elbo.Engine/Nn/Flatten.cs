using System.Globalization;

namespace Elbo.Engine.Nn;

/// <summary>Merges dimensions startDim..endDim into one (torch.nn.Flatten; defaults 1 and −1, so (N,C,H,W) becomes
/// (N,C·H·W)). A view: no data is copied.</summary>
public sealed class Flatten : Module
{
    /// <summary>Creates the layer.</summary>
    public Flatten(int startDim = 1, int endDim = -1)
    {
        StartDim = startDim;
        EndDim = endDim;
    }

    /// <summary>The first dimension merged.</summary>
    public int StartDim { get; }

    /// <summary>The last dimension merged.</summary>
    public int EndDim { get; }

    /// <inheritdoc/>
    // x (d0,…,dn) → y (d0,…,d_start·…·d_end,…,dn)
    public override Tensor Forward(Tensor x)
    {
        // Written with reshape (all tensors are contiguous, so this is the same view Tensor.Flatten gives).
        int rank = x.Rank;
        if (rank == 0) return x.Reshape([1]);
        int start = Shapes.NormalizeDim(StartDim, rank, "flatten");
        int end = Shapes.NormalizeDim(EndDim, rank, "flatten");
        if (start > end)
            throw new ArgumentException($"flatten: start dimension {StartDim} comes after end dimension {EndDim} for input {x.ShapeString}");
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        int r = 0;
        for (int d = 0; d < start; d++) shape[r++] = x.Dim(d);
        int merged = 1;
        for (int d = start; d <= end; d++) merged *= x.Dim(d);
        shape[r++] = merged;
        for (int d = end + 1; d < rank; d++) shape[r++] = x.Dim(d);
        return x.Reshape(shape[..r]);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => string.Create(CultureInfo.InvariantCulture, $"start_dim={StartDim}, end_dim={EndDim}");
}
