namespace Elbo.Data.Tables;

/// <summary>
/// What the schema decided for one column of the file, with the training split's statistics, as config.json keeps it.
/// </summary>
public sealed record TableSchemaColumn
{
    /// <summary>The column's name in the file.</summary>
    public string Name { get; init; } = "";

    /// <summary>What the column became.</summary>
    public TableColumnType Type { get; init; }

    /// <summary>How the file stored it (decoded values are written back the same way: booleans as booleans, integer
    /// categories as integers).</summary>
    public TableValueType Source { get; init; }

    /// <summary>Whether the values are integers (decoded numbers are rounded; integer categories written as
    /// integers).</summary>
    public bool Integer { get; init; }

    /// <summary>Categorical: the categories in encoding order (integers in numeric order, text in ordinal order).
    /// Boolean: the file's spellings of false and true, in that order. Label: the class names, by label. Empty
    /// otherwise.</summary>
    public string[] Categories { get; init; } = [];

    /// <summary>Numeric: the training split's mean (the encoding subtracts it).</summary>
    public double Mean { get; init; }

    /// <summary>Numeric: the training split's standard deviation (population, the encoding divides by it).</summary>
    public double Std { get; init; }

    /// <summary>Numeric: the smallest observed training value.</summary>
    public double Min { get; init; }

    /// <summary>Numeric: the largest observed training value.</summary>
    public double Max { get; init; }

    /// <summary>The fraction of training rows where the value is missing.</summary>
    public double MissingRate { get; init; }

    /// <summary>Why the column was dropped or how its type was decided (e.g. "id-like: all 150 values distinct"), or
    /// null.</summary>
    public string? Note { get; init; }

    /// <summary>The encoded width: 1 for numeric and boolean, the number of categories for categorical, 0 for the
    /// label and dropped columns.</summary>
    public int Width => Type switch
    {
        TableColumnType.Numeric or TableColumnType.Boolean => 1,
        TableColumnType.Categorical => Categories.Length,
        _ => 0,
    };

    /// <summary>Whether the model sees this column.</summary>
    public bool IsEncoded => Width > 0;
}
