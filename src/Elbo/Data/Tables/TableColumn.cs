using System.Globalization;

namespace Elbo.Data.Tables;

/// <summary>
/// One column of a <see cref="Table"/>, kept compactly: numbers as one <c>double[]</c> (NaN for missing), text as one
/// <c>int[]</c> of codes into the column's distinct strings (<see cref="Levels"/>, interned once; -1 for missing). A
/// text column read from CSV also keeps the numeric value of every cell that reads as a number (NaN elsewhere), so the
/// schema can tell a numeric column with a stray word from a text column. Arrays are used as given, not copied.
/// </summary>
public sealed class TableColumn
{
    private TableColumn(string name, TableValueType type, double[]? numbers, int[]? codes, string[] levels, bool isInteger, int count)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Type = type;
        Numbers = numbers;
        Codes = codes;
        Levels = levels;
        IsInteger = isInteger;
        Count = count;
    }

    /// <summary>The cells of <paramref name="rows"/> (indices into this column, in the order given), as a new column of the
    /// same type.</summary>
    public TableColumn Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        double[]? numbers = Numbers is null ? null : new double[rows.Count];
        int[]? codes = Codes is null ? null : new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            if (numbers is not null) numbers[i] = Numbers![rows[i]];
            if (codes is not null) codes[i] = Codes![rows[i]];
        }
        return new TableColumn(Name, Type, numbers, codes, Levels, IsInteger, rows.Count);
    }

    /// <summary>A number column; <paramref name="isInteger"/> when the source wrote integers (a Parquet integer type,
    /// or CSV cells without a decimal point or exponent).</summary>
    public static TableColumn FromNumbers(string name, double[] values, bool isInteger = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new TableColumn(name, TableValueType.Number, values, null, [], isInteger, values.Length);
    }

    /// <summary>A boolean column: 0, 1 or NaN (missing).</summary>
    public static TableColumn FromBooleans(string name, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new TableColumn(name, TableValueType.Boolean, values, null, [], true, values.Length);
    }

    /// <summary>A date column: days since 1970-01-01, NaN for missing.</summary>
    public static TableColumn FromDates(string name, double[] days)
    {
        ArgumentNullException.ThrowIfNull(days);
        return new TableColumn(name, TableValueType.Date, days, null, [], false, days.Length);
    }

    /// <summary>A text column: <paramref name="codes"/> index <paramref name="levels"/> (-1: missing);
    /// <paramref name="numbers"/>, when given, holds the value of every cell that reads as a number (NaN elsewhere),
    /// and <paramref name="isInteger"/> says whether all of those were written as integers.</summary>
    public static TableColumn FromText(string name, int[] codes, string[] levels, double[]? numbers = null, bool isInteger = false)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(levels);
        if (numbers is not null && numbers.Length != codes.Length)
            throw new ArgumentException($"column {name}: {numbers.Length} numbers for {codes.Length} codes");
        return new TableColumn(name, TableValueType.Text, numbers, codes, levels, isInteger, codes.Length);
    }

    /// <summary>A text column from strings (null: missing), interning them.</summary>
    public static TableColumn FromStrings(string name, IReadOnlyList<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var levels = new List<string>();
        var codes = new int[values.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            string? v = values[i];
            if (v is null) { codes[i] = -1; continue; }
            if (!index.TryGetValue(v, out int code))
            {
                code = levels.Count;
                index.Add(v, code);
                levels.Add(v);
            }
            codes[i] = code;
        }
        return FromText(name, codes, levels.ToArray());
    }

    /// <summary>The column's name, as the file's header spelled it.</summary>
    public string Name { get; }

    /// <summary>How the values are stored.</summary>
    public TableValueType Type { get; }

    /// <summary>The number of rows.</summary>
    public int Count { get; }

    /// <summary>Numbers, booleans (0/1) or dates (days), NaN for missing; for text, the cells that read as numbers
    /// (null when none did).</summary>
    public double[]? Numbers { get; }

    /// <summary>For text: each row's index into <see cref="Levels"/>, -1 for missing; null otherwise.</summary>
    public int[]? Codes { get; }

    /// <summary>For text: the distinct strings, in order of first appearance; empty otherwise.</summary>
    public string[] Levels { get; }

    /// <summary>Whether the numbers were written as integers.</summary>
    public bool IsInteger { get; }

    /// <summary>Whether row <paramref name="row"/> is missing.</summary>
    public bool IsMissing(int row) => Codes is not null ? Codes[row] < 0 : double.IsNaN(Numbers![row]);

    /// <summary>The text of row <paramref name="row"/> as it would be written to CSV: the string, the number in
    /// invariant round-trip form, "true"/"false", an ISO date; null when missing.</summary>
    public string? Text(int row)
    {
        if (Codes is not null) return Codes[row] < 0 ? null : Levels[Codes[row]];
        double v = Numbers![row];
        if (double.IsNaN(v)) return null;
        return Type switch
        {
            TableValueType.Boolean => v != 0 ? "true" : "false",
            TableValueType.Date => FormatDate(v),
            _ => FormatNumber(v, IsInteger),
        };
    }

    /// <summary>The number of missing rows.</summary>
    public int MissingCount()
    {
        int missing = 0;
        if (Codes is not null)
        {
            foreach (int c in Codes) if (c < 0) missing++;
        }
        else
        {
            foreach (double v in Numbers!) if (double.IsNaN(v)) missing++;
        }
        return missing;
    }

    /// <summary>A number as Elbo writes it: integers without a decimal point, others in round-trip form (invariant);
    /// −0 is written 0.</summary>
    public static string FormatNumber(double value, bool integer)
    {
        if (value == 0) return "0";
        return integer && Math.Abs(value) < 9.2e18 ? ((long)Math.Round(value)).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Days since 1970-01-01 as an ISO 8601 date (with the time when it is not midnight).</summary>
    public static string FormatDate(double days)
    {
        var t = DateTime.UnixEpoch.AddTicks((long)Math.Round(days * TimeSpan.TicksPerDay));
        return t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
    }
}
