using System.Globalization;

namespace Elbo.Data.Tables;

/// <summary>
/// The rules that decide each column's type from the training rows (documented in docs/tables.md, "Schema inference"):
/// overrides first (drop, label, categorical, numeric), then by what the file holds — dates dropped; one distinct value
/// dropped as constant; booleans, 0/1 numbers and text pairs true/false, yes/no, t/f, y/n boolean; integers with few
/// distinct values categorical; other numbers numeric; text that is mostly numbers numeric (a stray word is then an
/// error at encoding, or missing with coerce); ISO dates dropped; all-distinct text (more than 20 values) dropped as
/// id-like; text with more than maxCategories values dropped; other text categorical.
/// </summary>
internal static class TableSchemaInference
{
    /// <summary>Text is taken as a numeric column with stray words when at least this share of its observed cells
    /// are numbers.</summary>
    internal const double MostlyNumbers = 0.95;

    /// <summary>All-distinct text with more values than this is id-like; fewer could be a small categorical.</summary>
    internal const int IdLikeMinimum = 20;

    private static readonly (string False, string True)[] BooleanSpellings = [("false", "true"), ("no", "yes"), ("f", "t"), ("n", "y")];

    public static TableSchema Infer(Table table, TableOptions options, IReadOnlyList<int>? trainRows)
    {
        ArgumentNullException.ThrowIfNull(table);
        int[] rows = trainRows?.ToArray() ?? Enumerable.Range(0, table.RowCount).ToArray();
        if (rows.Length == 0) throw new DataFormatException(table.Source, "has no training rows");
        var forced = Overrides(table, options);
        var columns = new List<TableSchemaColumn>(table.Columns.Count);
        foreach (var column in table.Columns)
        {
            TableColumnType? type = forced.TryGetValue(column.Name, out var t) ? t : null;
            columns.Add(InferColumn(table, column, rows, options, type));
        }
        if (!columns.Any(c => c.IsEncoded))
            throw new DataFormatException(table.Source, "no column is left for the model: " +
                string.Join("; ", columns.Select(c => $"{c.Name}: {c.Note ?? c.Type.ToString().ToLowerInvariant()}")));
        return new TableSchema { Columns = columns, Coerce = options.Coerce, TrainRows = rows.Length };
    }

    private static Dictionary<string, TableColumnType> Overrides(Table table, TableOptions options)
    {
        var forced = new Dictionary<string, TableColumnType>(StringComparer.Ordinal);
        var setting = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string settingName, TableColumnType type)
        {
            if (table.Find(name) is null)
                throw new SettingException(settingName, $"names the column \"{name}\", which {table.Source} does not have (it has {Names(table)})");
            if (setting.TryGetValue(name, out string? other))
                throw new SettingException(settingName, other == settingName ? $"names the column \"{name}\" twice" : $"names the column \"{name}\", which {other} names too");
            forced[name] = type;
            setting[name] = settingName;
        }
        if (options.Label is not null) Add(options.Label, "label", TableColumnType.Label);
        foreach (string name in options.Drop) Add(name, "drop", TableColumnType.Dropped);
        foreach (string name in options.Categorical) Add(name, "categorical", TableColumnType.Categorical);
        foreach (string name in options.Numeric) Add(name, "numeric", TableColumnType.Numeric);
        if (options.MaxCategories < 2) throw new SettingException("maxCategories", $"must be at least 2, got {options.MaxCategories}");
        return forced;
    }

    private static string Names(Table table)
    {
        var names = table.ColumnNames.ToList();
        return names.Count <= 12 ? string.Join(", ", names) : string.Join(", ", names.Take(12)) + $", … ({names.Count} columns)";
    }

    private static TableSchemaColumn InferColumn(Table table, TableColumn column, int[] rows, TableOptions options, TableColumnType? forced)
    {
        int missing = 0;
        foreach (int r in rows) if (column.IsMissing(r)) missing++;
        int observed = rows.Length - missing;
        var basic = new TableSchemaColumn
        {
            Name = column.Name, Source = column.Type, Integer = column.IsInteger, MissingRate = (double)missing / rows.Length,
        };
        switch (forced)
        {
            case TableColumnType.Dropped:
                return basic with { Type = TableColumnType.Dropped, Note = "named in drop" };
            case TableColumnType.Label:
                return basic with { Type = TableColumnType.Label, Categories = Sorted(Distinct(column, Enumerable.Range(0, column.Count).ToArray())) };
            case TableColumnType.Categorical:
                if (observed == 0) return Dropped(basic, "empty: no values in the training rows");
                return basic with { Type = TableColumnType.Categorical, Categories = Sorted(Distinct(column, rows)) };
            case TableColumnType.Numeric:
                if (observed == 0 || column.Numbers is null) return Dropped(basic, "empty: no numbers in the training rows");
                return Numeric(basic, column, rows, column.Type == TableValueType.Text ? "numeric (named in numeric)" : null);
        }
        if (observed == 0) return Dropped(basic, "empty: no values in the training rows");
        switch (column.Type)
        {
            case TableValueType.Date:
                return Dropped(basic, "a date/time column (name it in numeric to use it as days since 1970-01-01)");
            case TableValueType.Boolean:
                return Distinct(column, rows).Count == 1 ? Constant(basic, column, rows)
                    : basic with { Type = TableColumnType.Boolean, Categories = ["false", "true"] };
            case TableValueType.Number:
                return FromNumbers(basic, column, rows, observed, options);
        }
        // Text.
        int numericCells = 0;
        if (column.Numbers is not null)
            foreach (int r in rows) if (!double.IsNaN(column.Numbers[r])) numericCells++;
        if (numericCells > 0 && numericCells >= MostlyNumbers * observed)
        {
            var asNumbers = FromNumbers(basic, column, rows, numericCells, options);
            if (asNumbers.Type == TableColumnType.Numeric)
                return asNumbers with { Note = $"numeric: {observed - numericCells} of {observed} cells are not numbers" };
        }
        var levels = Distinct(column, rows);
        if (levels.Count == 1) return Constant(basic, column, rows);
        if (levels.Count == 2)
            foreach (var (f, t) in BooleanSpellings)
            {
                int fi = levels.FindIndex(l => l.Equals(f, StringComparison.OrdinalIgnoreCase));
                int ti = levels.FindIndex(l => l.Equals(t, StringComparison.OrdinalIgnoreCase));
                if (fi >= 0 && ti >= 0) return basic with { Type = TableColumnType.Boolean, Categories = [levels[fi], levels[ti]], Integer = false };
            }
        if (levels.All(LooksLikeDate)) return Dropped(basic, "a date/time column");
        if (levels.Count == observed && observed > IdLikeMinimum) return Dropped(basic, $"id-like: all {observed} values distinct");
        if (levels.Count > options.MaxCategories)
            return Dropped(basic, $"{levels.Count} distinct values, more than maxCategories ({options.MaxCategories}); name it in categorical to keep it");
        return basic with { Type = TableColumnType.Categorical, Categories = Sorted(levels), Integer = false };
    }

    private static TableSchemaColumn FromNumbers(TableSchemaColumn basic, TableColumn column, int[] rows, int observed, TableOptions options)
    {
        double[] values = column.Numbers!;
        var distinct = new HashSet<double>();
        int cap = Math.Max(options.MaxIntegerCategories, 2) + 1;
        foreach (int r in rows)
        {
            double v = values[r];
            if (!double.IsNaN(v) && distinct.Add(v) && distinct.Count >= cap) break;
        }
        if (distinct.Count == 1) return Constant(basic, column, rows);
        if (distinct.Count == 2 && distinct.Contains(0) && distinct.Contains(1))
            return basic with { Type = TableColumnType.Boolean, Categories = ["0", "1"], Integer = true, Note = column.Type == TableValueType.Text ? "boolean: only 0 and 1 besides words" : null };
        if (column.IsInteger && distinct.Count <= options.MaxIntegerCategories && distinct.Count <= options.MaxIntegerCategoryFraction * rows.Length)
            return basic with
            {
                Type = TableColumnType.Categorical, Integer = true,
                Categories = distinct.Order().Select(v => TableColumn.FormatNumber(v, true)).ToArray(),
                Note = $"categorical: {distinct.Count} distinct integers",
            };
        return Numeric(basic, column, rows, null);
    }

    private static TableSchemaColumn Numeric(TableSchemaColumn basic, TableColumn column, int[] rows, string? note)
    {
        double[] values = column.Numbers!;
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        int n = 0;
        foreach (int r in rows)
        {
            double v = values[r];
            if (double.IsNaN(v)) continue;
            sum += v;
            n++;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (n == 0) return Dropped(basic, "empty: no numbers in the training rows");
        double mean = sum / n, squares = 0;
        foreach (int r in rows)
        {
            double v = values[r];
            if (!double.IsNaN(v)) squares += (v - mean) * (v - mean);
        }
        double std = Math.Sqrt(squares / n);
        int missing = rows.Length - n;
        return basic with
        {
            Type = TableColumnType.Numeric, Mean = mean, Std = std > 0 ? std : 1, Min = min, Max = max,
            MissingRate = (double)missing / rows.Length, Categories = [], Note = std > 0 ? note : "numeric: constant in the training rows (std taken as 1)",
        };
    }

    private static TableSchemaColumn Constant(TableSchemaColumn basic, TableColumn column, int[] rows)
    {
        string? value = null;
        foreach (int r in rows)
            if ((value = column.Text(r)) is not null) break;
        return Dropped(basic, $"constant: every value is {value}");
    }

    private static TableSchemaColumn Dropped(TableSchemaColumn basic, string note) =>
        basic with { Type = TableColumnType.Dropped, Note = note, Categories = [] };

    /// <summary>The distinct texts of <paramref name="column"/> over <paramref name="rows"/>, in order of first
    /// appearance.</summary>
    internal static List<string> Distinct(TableColumn column, int[] rows)
    {
        var result = new List<string>();
        if (column.Codes is { } codes)
        {
            var seen = new bool[column.Levels.Length];
            foreach (int r in rows)
            {
                int c = codes[r];
                if (c >= 0 && !seen[c])
                {
                    seen[c] = true;
                    result.Add(column.Levels[c]);
                }
            }
            return result;
        }
        var set = new HashSet<double>();
        foreach (int r in rows)
        {
            double v = column.Numbers![r];
            if (!double.IsNaN(v) && set.Add(v)) result.Add(column.Text(r)!);
        }
        return result;
    }

    /// <summary>Categories in their fixed order: numeric order when every one is a number, ordinal otherwise.</summary>
    internal static string[] Sorted(List<string> values)
    {
        var numbers = new double[values.Count];
        bool allNumbers = true;
        for (int i = 0; i < values.Count && allNumbers; i++)
            allNumbers = double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]);
        if (allNumbers) return values.Select((v, i) => (v, n: numbers[i])).OrderBy(p => p.n).ThenBy(p => p.v, StringComparer.Ordinal).Select(p => p.v).ToArray();
        return values.Order(StringComparer.Ordinal).ToArray();
    }

    private static bool LooksLikeDate(string text)
    {
        // ISO 8601 only: yyyy-mm-dd, optionally with a time; other spellings are too easily something else.
        if (text.Length < 10 || !char.IsAsciiDigit(text[0]) || text[4] != '-' || text[7] != '-') return false;
        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);
    }
}
