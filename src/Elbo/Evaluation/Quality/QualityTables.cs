using Elbo.Data.Tables;

namespace Elbo.Evaluation.Quality;

/// <summary>Tables as the quality scores read them: the columns a run's schema encodes, in file order, numeric columns
/// as numbers and categorical and boolean columns as categories named by their text (so a synthetic file written by
/// Elbo or by another tool compares by category name).</summary>
public static class QualityTables
{
    /// <summary>The schema's encoded columns of <paramref name="table"/>.</summary>
    /// <exception cref="ArgumentException">A column of the schema is missing from the table.</exception>
    public static QualityTable From(TableSchema schema, Table table)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(table);
        var columns = new List<QualityColumn>();
        foreach (var spec in schema.Columns)
        {
            if (!spec.IsEncoded) continue;
            var column = table.Find(spec.Name) ?? throw new ArgumentException($"{table.Source} has no column {spec.Name}");
            if (spec.Type == TableColumnType.Numeric)
            {
                var values = new double[column.Count];
                for (int i = 0; i < values.Length; i++)
                    values[i] = column.IsMissing(i) ? double.NaN
                        : column.Numbers is { } n && !double.IsNaN(n[i]) ? n[i]
                        : double.TryParse(column.Text(i), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
                columns.Add(QualityColumn.Numeric(spec.Name, values));
            }
            else
            {
                var names = new List<string>();
                var index = new Dictionary<string, int>(StringComparer.Ordinal);
                var codes = new int[column.Count];
                for (int i = 0; i < codes.Length; i++)
                {
                    string? text = column.IsMissing(i) ? null : column.Text(i);
                    if (text is null) { codes[i] = -1; continue; }
                    if (!index.TryGetValue(text, out int code))
                    {
                        index[text] = code = names.Count;
                        names.Add(text);
                    }
                    codes[i] = code;
                }
                columns.Add(QualityColumn.Categorical(spec.Name, codes, names));
            }
        }
        return new QualityTable(columns);
    }
}
