namespace Elbo.Evaluation.Quality;

/// <summary>A table to score: columns with distinct names and one length (<see cref="RowCount"/>). A real and a
/// synthetic table are compared column by column by name; their row counts may differ.</summary>
public sealed class QualityTable
{
    /// <summary>A table of <paramref name="columns"/> (at least one).</summary>
    /// <exception cref="ArgumentException">No columns, two with one name, or columns of different lengths.</exception>
    public QualityTable(IEnumerable<QualityColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns.ToArray();
        if (Columns.Count == 0) throw new ArgumentException("a table needs at least one column");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in Columns)
        {
            ArgumentNullException.ThrowIfNull(c);
            if (!names.Add(c.Name)) throw new ArgumentException($"column {c.Name} appears twice");
            if (c.Length != Columns[0].Length)
                throw new ArgumentException($"column {c.Name} has {c.Length} rows but column {Columns[0].Name} has {Columns[0].Length}");
        }
        RowCount = Columns[0].Length;
    }

    /// <summary>The columns in order.</summary>
    public IReadOnlyList<QualityColumn> Columns { get; }

    /// <summary>The number of rows.</summary>
    public int RowCount { get; }

    /// <summary>The column named <paramref name="name"/>, or null.</summary>
    public QualityColumn? Find(string name)
    {
        foreach (var c in Columns)
            if (c.Name == name) return c;
        return null;
    }
}
