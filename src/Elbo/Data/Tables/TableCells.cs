namespace Elbo.Data.Tables;

/// <summary>
/// Tables made of rows held in memory, each row a dictionary from column name to cell text (null or a missing token
/// such as <c>NA</c>: missing), and back: how application code hands rows to a model of a table and gets rows back
/// in the file's units. Cells are read as the CSV reader reads a file's (<see cref="CsvTableReader"/>: trimmed, the
/// missing tokens of <see cref="MissingValues"/>, numbers in the invariant culture, other text kept as categories),
/// so a row given here encodes as the same row of a CSV file would.
/// </summary>
public static class TableCells
{
    /// <summary>The table of <paramref name="rows"/>: its columns are the names the rows use, in the order first seen;
    /// a row without one of them has that cell missing.</summary>
    /// <exception cref="DataFormatException">There are no rows or no columns, a column name is blank, or a cell is an
    /// infinite number.</exception>
    public static Table FromRows(IEnumerable<IReadOnlyDictionary<string, string?>> rows, string source = "(rows)")
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows as IReadOnlyList<IReadOnlyDictionary<string, string?>> ?? rows.ToArray();
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(list[i], $"{nameof(rows)}[{i}]");
            foreach (string name in list[i].Keys)
            {
                if (string.IsNullOrWhiteSpace(name)) throw new DataFormatException(source, $"row {i + 1}: a column has no name");
                if (seen.Add(name)) names.Add(name);
            }
        }
        if (list.Count == 0 || names.Count == 0) throw new DataFormatException(source, "has no rows with cells");
        var columns = new TableColumn[names.Count];
        for (int j = 0; j < names.Count; j++)
        {
            var builder = new CsvColumnBuilder(names[j]);
            for (int i = 0; i < list.Count; i++)
            {
                string? cell = list[i].GetValueOrDefault(names[j]);
                if (!builder.Add((cell ?? "").AsSpan().Trim()))
                    throw new DataFormatException(source, $"row {i + 1}, column \"{names[j]}\": an infinite value ({cell})");
            }
            columns[j] = builder.Build();
        }
        return new Table(source, columns);
    }

    /// <summary>The rows of <paramref name="table"/>, each a dictionary from column name (in the table's order) to the
    /// cell as a CSV file would hold it (<see cref="TableColumn.Text"/>), null where it is missing.</summary>
    public static Dictionary<string, string?>[] ToRows(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = new Dictionary<string, string?>[table.RowCount];
        for (int i = 0; i < rows.Length; i++)
        {
            var row = new Dictionary<string, string?>(table.Columns.Count, StringComparer.Ordinal);
            foreach (var column in table.Columns) row[column.Name] = column.Text(i);
            rows[i] = row;
        }
        return rows;
    }
}
