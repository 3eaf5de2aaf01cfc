using System.Text;

namespace Elbo.Engine.Tensors;

/// <summary>Shape arithmetic shared by the operations: element counts, dimension checks, broadcasting and
/// messages.</summary>
public static class Shapes
{
    /// <summary>The element count of a shape; throws on negative sizes or overflow.</summary>
    public static int Numel(ReadOnlySpan<int> shape, string op)
    {
        long n = 1;
        foreach (int s in shape)
        {
            if (s < 0) throw new ArgumentException($"{op}: negative size in shape {Format(shape)}");
            n *= s;
            if (n > Array.MaxLength) throw new ArgumentException($"{op}: shape {Format(shape)} has too many elements");
        }
        return (int)n;
    }

    /// <summary>Turns a possibly negative dimension index into 0..rank-1, or throws naming the op.</summary>
    public static int NormalizeDim(int dim, int rank, string op)
    {
        int d = dim < 0 ? dim + rank : dim;
        if ((uint)d >= (uint)rank) throw new ArgumentException($"{op}: dimension {dim} is out of range for rank {rank}");
        return d;
    }

    /// <summary>(a,b,c).</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("(");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(shape[i]);
        }
        if (shape.Length == 1) sb.Append(',');
        return sb.Append(')').ToString();
    }

    /// <summary>Product of shape[from..to).</summary>
    public static int Product(ReadOnlySpan<int> shape, int from, int to)
    {
        int p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }

    /// <summary>The numpy broadcast of two shapes into <paramref name="result"/> (returns its rank); throws naming the
    /// op and both shapes when a pair of sizes differs and neither is 1.</summary>
    public static int Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result, string op)
    {
        int rank = Math.Max(a.Length, b.Length);
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast (size {da} vs {db} in dimension {i})");
            result[i] = da == 1 ? db : da;
        }
        return rank;
    }

    /// <summary>Strides of <paramref name="shape"/> aligned to the trailing dimensions of an output of shape
    /// <paramref name="outShape"/>, with stride 0 where the tensor is broadcast.</summary>
    public static void BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outShape, Span<int> strides)
    {
        int outRank = outShape.Length;
        int offset = outRank - shape.Length;
        int stride = 1;
        for (int i = outRank - 1; i >= 0; i--)
        {
            int size = i < offset ? 1 : shape[i - offset];
            strides[i] = size == 1 ? 0 : stride;
            stride *= size;
        }
    }
}
