namespace Elbo.Data;

/// <summary>The contents of an IDX file of unsigned bytes: its dimensions (outermost first, e.g. N × rows × columns)
/// and its elements in row-major order.</summary>
public sealed class IdxFile
{
    /// <summary>Wraps already validated dimensions and data (the data length is the product of the dimensions).</summary>
    internal IdxFile(int[] dimensions, byte[] data)
    {
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>The sizes of the dimensions, outermost first.</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The elements, row-major; the length is the product of <see cref="Dimensions"/>.</summary>
    public byte[] Data { get; }

    /// <summary>The size of the outermost dimension: the number of items (images or labels).</summary>
    public int Count => Dimensions[0];
}
