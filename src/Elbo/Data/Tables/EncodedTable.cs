namespace Elbo.Data.Tables;

/// <summary>
/// Rows encoded for a model: <see cref="Values"/> is <see cref="Rows"/> × <see cref="Width"/> float32 row-major (numeric
/// standardized, categorical one-hot, boolean 0/1, missing 0) and <see cref="Mask"/> the same shape, 1 where the value
/// was observed and 0 where it was missing (a missing categorical masks its whole one-hot slice).
/// </summary>
public sealed class EncodedTable
{
    internal EncodedTable(float[] values, byte[] mask, int rows, int width, int[] labels, IReadOnlyDictionary<string, int> unseen)
    {
        Values = values;
        Mask = mask;
        Rows = rows;
        Width = width;
        Labels = labels;
        UnseenCategories = unseen;
    }

    /// <summary>The encoded values, Rows × Width row-major.</summary>
    public float[] Values { get; }

    /// <summary>1 observed, 0 missing, Rows × Width row-major.</summary>
    public byte[] Mask { get; }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>Values per row (D).</summary>
    public int Width { get; }

    /// <summary>Each row's label from the label column (-1 when missing, unknown, or there is no label column).</summary>
    public int[] Labels { get; }

    /// <summary>Per categorical or boolean column, how many cells held a value the training rows did not have; such
    /// cells are encoded as missing. Columns without any are not listed.</summary>
    public IReadOnlyDictionary<string, int> UnseenCategories { get; }

    /// <summary>The number of missing (masked) values.</summary>
    public long MissingCount()
    {
        long missing = 0;
        foreach (byte m in Mask) if (m == 0) missing++;
        return missing;
    }
}
