using System.Globalization;

namespace Elbo.Engine.Nn;

/// <summary>Splits dimension <see cref="Dim"/> into <see cref="Sizes"/> (torch.nn.Unflatten), e.g. dim 1 and sizes
/// (C,H,W) turn (N,C·H·W) into (N,C,H,W). One size may be −1. A view: no data is copied.</summary>
public sealed class Unflatten : Module
{
    private readonly int[] _sizes;

    /// <summary>Creates the layer.</summary>
    public Unflatten(int dim, params int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length == 0) throw new ArgumentException("unflatten: sizes cannot be empty");
        int inferred = 0;
        foreach (int s in sizes)
        {
            if (s == -1) inferred++;
            else if (s < 0) throw new ArgumentException($"unflatten: negative size in {Shapes.Format(sizes)}");
        }
        if (inferred > 1) throw new ArgumentException($"unflatten: only one size can be -1 in {Shapes.Format(sizes)}");
        Dim = dim;
        _sizes = (int[])sizes.Clone();
    }

    /// <summary>The dimension split.</summary>
    public int Dim { get; }

    /// <summary>The sizes it is split into.</summary>
    public ReadOnlySpan<int> Sizes => _sizes;

    /// <inheritdoc/>
    // x (…, d, …) → y (…, sizes…, …) with Π sizes = d
    public override Tensor Forward(Tensor x)
    {
        int rank = x.Rank;
        int dim = Shapes.NormalizeDim(Dim, rank, "unflatten");
        int newRank = rank - 1 + _sizes.Length;
        if (newRank > Tensor.MaxRank)
            throw new ArgumentException($"unflatten: input {x.ShapeString} split into {Shapes.Format(_sizes)} has rank {newRank}, above the maximum {Tensor.MaxRank}");
        int known = 1, infer = -1;
        for (int i = 0; i < _sizes.Length; i++)
        {
            if (_sizes[i] == -1) infer = i;
            else known *= _sizes[i];
        }
        int size = x.Dim(dim);
        bool fits = infer >= 0 ? known > 0 && size % known == 0 : known == size;
        if (!fits)
            throw new ArgumentException($"unflatten: sizes {Shapes.Format(_sizes)} do not fill dimension {Dim} (size {size}) of input {x.ShapeString}");
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        int r = 0;
        for (int d = 0; d < dim; d++) shape[r++] = x.Dim(d);
        for (int i = 0; i < _sizes.Length; i++) shape[r++] = i == infer ? size / known : _sizes[i];
        for (int d = dim + 1; d < rank; d++) shape[r++] = x.Dim(d);
        return x.Reshape(shape[..r]);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => string.Create(CultureInfo.InvariantCulture, $"dim={Dim}, unflattened_size={Shapes.Format(_sizes)}");
}
