using System.Globalization;

namespace Elbo.Data.Tables;

/// <summary>
/// Encodes table rows with a <see cref="TableSchema"/>: numeric columns standardized with the training mean and standard
/// deviation, categorical columns one-hot over the training categories, boolean columns 0/1, each in its slice
/// (<see cref="TableSchema.Encoded"/>), with a mask of observed values. A category the training rows did not have is
/// encoded as missing and counted (<see cref="EncodedTable.UnseenCategories"/>) rather than refused, so a model can
/// still score or impute such rows. A cell of a numeric column that is not a number is an error naming the row and
/// column, or missing when the schema was made with <c>coerce</c>.
/// </summary>
public static class TableEncoder
{
    /// <summary>Encodes rows <paramref name="rows"/> (indices into <paramref name="table"/>, all rows in order when
    /// null) of <paramref name="table"/>.</summary>
    /// <exception cref="DataFormatException">An encoded column is missing from the table, or a numeric cell is not a
    /// number (without coerce).</exception>
    public static EncodedTable Encode(TableSchema schema, Table table, IReadOnlyList<int>? rows = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(table);
        int[] selected = rows?.ToArray() ?? Enumerable.Range(0, table.RowCount).ToArray();
        int n = selected.Length, width = schema.Width;
        if ((long)n * width > Array.MaxLength) throw new DataFormatException(table.Source, $"{n} rows of {width} encoded values do not fit in one array");
        var values = new float[(long)n * width];
        var mask = new byte[(long)n * width];
        var unseen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var slice in schema.Encoded)
        {
            var spec = schema.Find(slice.Name)!;
            var column = table.Find(slice.Name)
                ?? throw new DataFormatException(table.Source, $"has no column \"{slice.Name}\", which the model was trained on ({spec.Type.ToString().ToLowerInvariant()})");
            int count = slice.Kind switch
            {
                TableColumnType.Numeric => EncodeNumeric(table.Source, spec, column, selected, values, mask, slice, width, schema.Coerce),
                _ => EncodeCategorical(spec, column, selected, values, mask, slice, width),
            };
            if (count > 0) unseen[slice.Name] = count;
        }
        return new EncodedTable(values, mask, n, width, Labels(schema, table, selected), unseen);
    }

    /// <summary>The labels of rows <paramref name="rows"/>: each label-column value's index in the schema's class
    /// names, -1 when missing or unknown (and for every row when the schema or the table has no label column).</summary>
    public static int[] Labels(TableSchema schema, Table table, IReadOnlyList<int> rows)
    {
        var labels = new int[rows.Count];
        Array.Fill(labels, -1);
        var spec = schema.Label;
        var column = spec is null ? null : table.Find(spec.Name);
        if (spec is null || column is null) return labels;
        var lookup = CategoryLookup.For(spec.Categories, column, ignoreCase: false);
        for (int i = 0; i < labels.Length; i++) labels[i] = lookup.Index(rows[i]);
        return labels;
    }

    private static int EncodeNumeric(string source, TableSchemaColumn spec, TableColumn column, int[] rows, float[] values, byte[] mask,
        EncodedColumn slice, int width, bool coerce)
    {
        double[]? numbers = column.Numbers;
        int[]? codes = column.Codes;
        double mean = spec.Mean, scale = 1 / spec.Std;
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            double v = numbers is null ? double.NaN : numbers[r];
            if (double.IsNaN(v))
            {
                if (codes is not null && codes[r] >= 0 && !coerce)
                    throw new DataFormatException(source, $"row {r + 1}, column \"{spec.Name}\": \"{column.Levels[codes[r]]}\" is not a number " +
                        "(the column is numeric; the coerce setting makes such cells missing)");
                continue;
            }
            long at = (long)i * width + slice.Offset;
            values[at] = (float)((v - mean) * scale);
            mask[at] = 1;
        }
        return 0;
    }

    private static int EncodeCategorical(TableSchemaColumn spec, TableColumn column, int[] rows, float[] values, byte[] mask,
        EncodedColumn slice, int width)
    {
        var lookup = CategoryLookup.For(spec.Categories, column, ignoreCase: spec.Type == TableColumnType.Boolean);
        bool boolean = slice.Kind == TableColumnType.Boolean;
        int unseen = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            if (column.IsMissing(r)) continue;
            int k = lookup.Index(r);
            if (k < 0)
            {
                unseen++;
                continue;
            }
            long at = (long)i * width + slice.Offset;
            if (boolean)
            {
                values[at] = k;
                mask[at] = 1;
            }
            else
            {
                values[at + k] = 1;
                mask.AsSpan((int)(at), slice.Width).Fill(1);
            }
        }
        return unseen;
    }
}

/// <summary>Maps a column's cells to indices in a list of categories: through the column's levels for text, through
/// the numeric value of each category for numbers, booleans and dates (a category that is not a number matches
/// nothing); -1 for missing or unknown cells.</summary>
internal readonly struct CategoryLookup
{
    private readonly TableColumn _column;
    private readonly int[]? _levelToCategory;
    private readonly Dictionary<double, int>? _numberToCategory;

    private CategoryLookup(TableColumn column, int[]? levels, Dictionary<double, int>? numbers)
    {
        _column = column;
        _levelToCategory = levels;
        _numberToCategory = numbers;
    }

    public static CategoryLookup For(string[] categories, TableColumn column, bool ignoreCase)
    {
        if (column.Codes is not null)
        {
            var index = new Dictionary<string, int>(ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            for (int k = 0; k < categories.Length; k++) index.TryAdd(categories[k], k);
            var map = new int[column.Levels.Length];
            for (int l = 0; l < map.Length; l++) map[l] = index.TryGetValue(column.Levels[l], out int k) ? k : -1;
            return new CategoryLookup(column, map, null);
        }
        var numbers = new Dictionary<double, int>();
        for (int k = 0; k < categories.Length; k++)
        {
            string c = categories[k];
            if (column.Type == TableValueType.Boolean)
            {
                if (c.Equals("false", StringComparison.OrdinalIgnoreCase)) numbers.TryAdd(0, k);
                else if (c.Equals("true", StringComparison.OrdinalIgnoreCase)) numbers.TryAdd(1, k);
            }
            if (double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) numbers.TryAdd(v, k);
            else if (column.Type == TableValueType.Date && DateTime.TryParse(c, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
                numbers.TryAdd((d - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerDay, k);
        }
        return new CategoryLookup(column, null, numbers);
    }

    public int Index(int row)
    {
        if (_levelToCategory is not null)
        {
            int code = _column.Codes![row];
            return code < 0 ? -1 : _levelToCategory[code];
        }
        double v = _column.Numbers![row];
        return !double.IsNaN(v) && _numberToCategory!.TryGetValue(v, out int k) ? k : -1;
    }
}
