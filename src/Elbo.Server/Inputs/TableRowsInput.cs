using System.Text.Json;
using Elbo.Data.Tables;

namespace Elbo.Server.Inputs;

/// <summary>
/// Table rows sent as JSON objects, made into a <see cref="Table"/> the run's schema encodes (<see cref="TableEncoder"/>):
/// a numeric column takes a number or null, a categorical, boolean or label column one of its categories (a string,
/// a number for number categories, true or false for a boolean) or null. A column left out is missing, as a blank
/// cell in a file would be; a dropped column is accepted and ignored; a name the table never had, a value of the
/// wrong kind, a number that is not finite and a category the training rows did not have are 400s naming the cell
/// (<c>rows[3].colour</c>).
/// </summary>
internal static class TableRowsInput
{
    /// <summary>The rows as a table with every encoded column and the label column of <paramref name="schema"/>.</summary>
    public static Table Read(IReadOnlyList<Dictionary<string, JsonElement>?> rows, TableSchema schema, string field)
    {
        int n = rows.Count;
        var used = schema.Columns.Where(c => c.IsEncoded || c.Type == TableColumnType.Label).ToArray();
        var numbers = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var c in used)
        {
            if (c.Type == TableColumnType.Numeric) numbers[c.Name] = Enumerable.Repeat(double.NaN, n).ToArray();
            else texts[c.Name] = new string?[n];
        }
        for (int i = 0; i < n; i++)
        {
            var row = rows[i] ?? throw ApiException.Bad($"{field}[{i}]", $"{field}[{i}]: a row is an object from column name to value, not null");
            foreach (var (name, value) in row)
            {
                string cell = CellPath(field, i, name);
                var spec = schema.Find(name)
                    ?? throw ApiException.Bad(cell, $"{cell}: the run's table has no column '{name}' (its columns: {List(schema.Columns.Select(c => c.Name))})");
                if (value.ValueKind == JsonValueKind.Null || !(spec.IsEncoded || spec.Type == TableColumnType.Label)) continue;
                if (spec.Type == TableColumnType.Numeric) numbers[name][i] = Number(value, spec, cell);
                else texts[name][i] = Category(value, spec, cell);
            }
        }
        var columns = used.Select(c => c.Type == TableColumnType.Numeric
            ? TableColumn.FromNumbers(c.Name, numbers[c.Name], c.Integer)
            : TableColumn.FromStrings(c.Name, texts[c.Name])).ToArray();
        return new Table("(request)", columns);
    }

    // A number the model can take: finite, and finite as the float32 the column's standardization makes of it.
    private static double Number(JsonElement value, TableSchemaColumn spec, string cell)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double v))
            throw ApiException.Bad(cell, $"{cell}: the column is numeric: give a number or null, not {Describe(value)}");
        if (!double.IsFinite(v)) throw ApiException.Bad(cell, $"{cell}: {value.GetRawText()} is not a finite number");
        if (!float.IsFinite((float)((v - spec.Mean) / (spec.Std > 0 ? spec.Std : 1))))
            throw ApiException.Bad(cell, $"{cell}: {value.GetRawText()} is too far outside the column's range (mean {spec.Mean:G4}, standard deviation {spec.Std:G4}) to be a float32 once standardized");
        return v;
    }

    // The JSON path of a cell: rows[3].colour, or rows[3]['odd name'] for a name that is not a plain identifier.
    private static string CellPath(string field, int row, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(name[0])
            ? $"{field}[{row}].{name}"
            : $"{field}[{row}]['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    // The category the value names, spelled as the schema spells it.
    private static string Category(JsonElement value, TableSchemaColumn spec, string cell)
    {
        bool boolean = spec.Type == TableColumnType.Boolean;
        string? text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number when value.TryGetDouble(out double v) && double.IsFinite(v) => TableColumn.FormatNumber(v, v == Math.Floor(v)),
            JsonValueKind.True => boolean ? spec.Categories[1] : "true",
            JsonValueKind.False => boolean ? spec.Categories[0] : "false",
            _ => null,
        };
        if (text is null) throw ApiException.Bad(cell, $"{cell}: give one of the column's categories, not {Describe(value)}");
        var comparison = boolean ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (string category in spec.Categories)
            if (string.Equals(category, text, comparison)) return category;
        throw ApiException.Bad(cell, $"{cell}: \"{text}\" is not one of the column's categories ({List(spec.Categories)})");
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {value.GetRawText()}",
        _ => value.GetRawText(),
    };

    private static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        return all.Count <= 12 ? string.Join(", ", all) : string.Join(", ", all.Take(12)) + $", … ({all.Count} in all)";
    }
}
