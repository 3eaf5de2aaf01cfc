namespace Elbo.Data.Tables;

/// <summary>
/// A table held in memory as read from a file (or decoded from a model): named columns of equal length, each stored
/// compactly (<see cref="TableColumn"/>). Nothing here is a model decision; the <see cref="TableSchema"/> decides what
/// each column becomes.
/// </summary>
public sealed class Table
{
    private readonly Dictionary<string, int> _index;

    /// <summary>Wraps <paramref name="columns"/> (equal lengths, distinct names) read from <paramref name="source"/>.</summary>
    public Table(string source, IReadOnlyList<TableColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(columns);
        Source = source;
        Columns = columns;
        RowCount = columns.Count == 0 ? 0 : columns[0].Count;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < columns.Count; j++)
        {
            if (columns[j].Count != RowCount)
                throw new ArgumentException($"table {source}: column {columns[j].Name} has {columns[j].Count} rows, {columns[0].Name} has {RowCount}");
            if (!_index.TryAdd(columns[j].Name, j))
                throw new ArgumentException($"table {source}: two columns are named {columns[j].Name}");
        }
    }

    /// <summary>Where the table came from (a file path, or a description such as "(decoded)"), for messages.</summary>
    public string Source { get; }

    /// <summary>The columns, in file order.</summary>
    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The number of data rows.</summary>
    public int RowCount { get; }

    /// <summary>The column names, in file order.</summary>
    public IEnumerable<string> ColumnNames => Columns.Select(c => c.Name);

    /// <summary>The rows <paramref name="rows"/> (in the order given) as a new table.</summary>
    public Table Select(IReadOnlyList<int> rows) => new(Source, Columns.Select(c => c.Select(rows)).ToArray());

    /// <summary>The column named <paramref name="name"/> (ordinal comparison), or null.</summary>
    public TableColumn? Find(string name) => _index.TryGetValue(name, out int j) ? Columns[j] : null;

    /// <summary>The column named <paramref name="name"/>; <see cref="KeyNotFoundException"/> when there is none.</summary>
    public TableColumn this[string name] => Find(name) ?? throw new KeyNotFoundException($"table {Source} has no column {name}");
}
