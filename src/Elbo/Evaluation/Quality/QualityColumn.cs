namespace Elbo.Evaluation.Quality;

/// <summary>
/// One column of a table to score: a name and either numeric values (<see cref="Values"/>, NaN = missing) or category
/// codes (<see cref="Codes"/>, −1 = missing) indexing <see cref="Categories"/>. Booleans are categorical with the
/// categories "false" and "true" (<see cref="Boolean"/>). The column keeps the arrays it is given (no copy); they must
/// not change while it is used.
/// </summary>
public sealed class QualityColumn
{
    private QualityColumn(string name, QualityColumnKind kind, double[]? values, int[]? codes, IReadOnlyList<string> categories)
    {
        Name = name;
        Kind = kind;
        Values = values;
        Codes = codes;
        Categories = categories;
    }

    /// <summary>The column's name (matched between the real and the synthetic table).</summary>
    public string Name { get; }

    /// <summary>Numeric or categorical.</summary>
    public QualityColumnKind Kind { get; }

    /// <summary>The values of a numeric column (NaN = missing); null for a categorical one.</summary>
    public double[]? Values { get; }

    /// <summary>The codes of a categorical column (−1 = missing, else an index into <see cref="Categories"/>); null
    /// for a numeric one.</summary>
    public int[]? Codes { get; }

    /// <summary>The category names of a categorical column (empty for a numeric one).</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>The number of rows.</summary>
    public int Length => Values?.Length ?? Codes!.Length;

    /// <summary>A numeric column. NaN marks a missing value; ±∞ is refused (no score is defined for it).</summary>
    /// <exception cref="ArgumentException">The name is empty or a value is infinite.</exception>
    public static QualityColumn Numeric(string name, double[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(values);
        for (int i = 0; i < values.Length; i++)
            if (double.IsInfinity(values[i]))
                throw new ArgumentException($"column {name}: row {i} is {values[i]}; a numeric column holds finite values or NaN (missing)");
        return new QualityColumn(name, QualityColumnKind.Numeric, values, null, []);
    }

    /// <summary>A categorical column: <paramref name="codes"/>[i] is −1 (missing) or an index into
    /// <paramref name="categories"/> (distinct names).</summary>
    /// <exception cref="ArgumentException">The name is empty, a code is out of range, or a category name repeats.</exception>
    public static QualityColumn Categorical(string name, int[] codes, IReadOnlyList<string> categories)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(categories);
        if (categories.Distinct(StringComparer.Ordinal).Count() != categories.Count)
            throw new ArgumentException($"column {name}: category names must be distinct");
        for (int i = 0; i < codes.Length; i++)
            if (codes[i] < -1 || codes[i] >= categories.Count)
                throw new ArgumentException($"column {name}: row {i} has code {codes[i]}, outside −1 (missing) … {categories.Count - 1}");
        return new QualityColumn(name, QualityColumnKind.Categorical, null, codes, categories.ToArray());
    }

    /// <summary>A boolean column as a categorical one with the categories "false" (code 0) and "true" (code 1); null is
    /// missing.</summary>
    public static QualityColumn Boolean(string name, bool?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var codes = new int[values.Length];
        for (int i = 0; i < values.Length; i++) codes[i] = values[i] is { } b ? (b ? 1 : 0) : -1;
        return Categorical(name, codes, ["false", "true"]);
    }
}
