using Elbo.Data.Tables;

namespace Elbo.Server.Outputs;

/// <summary>A <see cref="Table"/> as JSON rows: one object per row from column name to value — a number (an integer
/// column's without a fraction), a category's string, true or false for a boolean column stored as such, an ISO date,
/// or null for a missing cell.</summary>
internal static class TableRowsOutput
{
    /// <summary>The rows of <paramref name="table"/>, in order.</summary>
    public static IReadOnlyList<Dictionary<string, object?>> Write(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = new List<Dictionary<string, object?>>(table.RowCount);
        for (int i = 0; i < table.RowCount; i++)
        {
            var row = new Dictionary<string, object?>(table.Columns.Count, StringComparer.Ordinal);
            foreach (var column in table.Columns) row[column.Name] = Cell(column, i);
            rows.Add(row);
        }
        return rows;
    }

    private static object? Cell(TableColumn column, int row)
    {
        if (column.IsMissing(row)) return null;
        if (column.Codes is not null) return column.Text(row);
        double v = column.Numbers![row];
        return column.Type switch
        {
            TableValueType.Boolean => v != 0,
            TableValueType.Date => column.Text(row),
            _ when column.IsInteger && Math.Abs(v) < 9e15 => (long)Math.Round(v),
            _ => v,
        };
    }
}
