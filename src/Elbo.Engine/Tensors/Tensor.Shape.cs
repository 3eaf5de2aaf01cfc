namespace Elbo.Engine.Tensors;

// Shape operations beyond reshape: flatten, narrow, concat, split, chunk.
public sealed partial class Tensor
{
    /// <summary>Merges dimensions startDim..endDim into one (a view).</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1) => throw new NotImplementedException("flatten");

    /// <summary>The slice [start, start+length) along <paramref name="dim"/> (a copy; backward adds into that slice).</summary>
    public Tensor Narrow(int dim, int start, int length) => throw new NotImplementedException("narrow");

    /// <summary>Joins tensors along <paramref name="dim"/>; all other sizes must match.</summary>
    public static Tensor Concat(ReadOnlySpan<Tensor> tensors, int dim) => throw new NotImplementedException("concat");

    /// <summary>Pieces of <paramref name="splitSize"/> along <paramref name="dim"/> (the last may be smaller).</summary>
    public Tensor[] Split(int splitSize, int dim = 0) => throw new NotImplementedException("split");

    /// <summary><paramref name="chunks"/> pieces of near-equal size along <paramref name="dim"/>, as PyTorch's chunk.</summary>
    public Tensor[] Chunk(int chunks, int dim = 0) => throw new NotImplementedException("chunk");
}
