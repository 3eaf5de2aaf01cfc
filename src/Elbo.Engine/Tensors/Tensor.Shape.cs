using Elbo.Engine.Autograd.Functions;

namespace Elbo.Engine.Tensors;

// Shape operations beyond reshape: flatten, narrow, concat, split, chunk.
public sealed partial class Tensor
{
    /// <summary>Merges dimensions startDim..endDim into one (a view). A rank-0 tensor becomes a vector of one element.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0) return ReshapeFunction.Forward(this, [1]);
        int s = Shapes.NormalizeDim(startDim, Rank, "flatten");
        int e = Shapes.NormalizeDim(endDim, Rank, "flatten");
        if (s > e) throw new ArgumentException($"flatten: start dimension {startDim} comes after end dimension {endDim} for shape {ShapeString}");
        Span<int> shape = stackalloc int[MaxRank];
        int r = 0;
        for (int i = 0; i < s; i++) shape[r++] = _shape[i];
        shape[r++] = Shapes.Product(Shape, s, e + 1);
        for (int i = e + 1; i < Rank; i++) shape[r++] = _shape[i];
        return ReshapeFunction.Forward(this, shape[..r]);
    }

    /// <summary>The slice [start, start+length) along <paramref name="dim"/> (a copy; backward adds into that slice).
    /// A negative start counts from the end.</summary>
    public Tensor Narrow(int dim, int start, int length) => NarrowFunction.Forward(this, dim, start, length);

    /// <summary>Joins tensors along <paramref name="dim"/>; all other sizes must match.</summary>
    public static Tensor Concat(ReadOnlySpan<Tensor> tensors, int dim) => ConcatFunction.Forward(tensors, dim);

    /// <summary>Pieces of <paramref name="splitSize"/> along <paramref name="dim"/> (the last may be smaller).</summary>
    public Tensor[] Split(int splitSize, int dim = 0)
    {
        if (Rank == 0) throw new ArgumentException($"split: a tensor of shape {ShapeString} has no dimension to split");
        int d = Shapes.NormalizeDim(dim, Rank, "split");
        int size = _shape[d];
        if (splitSize < 0 || (splitSize == 0 && size != 0))
            throw new ArgumentException($"split: split size {splitSize} is invalid for dimension {d} of size {size} in {ShapeString}");
        if (size == 0) return [NarrowFunction.Forward(this, d, 0, 0)];
        int count = (size + splitSize - 1) / splitSize;
        var pieces = new Tensor[count];
        for (int k = 0; k < count; k++)
        {
            int start = k * splitSize;
            pieces[k] = NarrowFunction.Forward(this, d, start, Math.Min(splitSize, size - start));
        }
        return pieces;
    }

    /// <summary><paramref name="chunks"/> pieces of near-equal size along <paramref name="dim"/>, as PyTorch's chunk:
    /// pieces of ⌈size/chunks⌉ (the last smaller), which can be fewer than <paramref name="chunks"/>.</summary>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        if (chunks <= 0) throw new ArgumentException($"chunk: number of chunks {chunks} must be positive");
        if (Rank == 0) throw new ArgumentException($"chunk: a tensor of shape {ShapeString} has no dimension to chunk");
        int d = Shapes.NormalizeDim(dim, Rank, "chunk");
        int size = _shape[d];
        if (size == 0)
        {
            var empty = new Tensor[chunks];
            for (int k = 0; k < chunks; k++) empty[k] = NarrowFunction.Forward(this, d, 0, 0);
            return empty;
        }
        return Split((size + chunks - 1) / chunks, d);
    }
}
