using System.Globalization;
using nietras.SeparatedValues;

namespace Elbo.Data.Tables;

/// <summary>
/// Collects one CSV column cell by cell. While every cell reads as a number (or is missing) only numbers are kept; the
/// first cell that does not switches the column to text, from then on interning every cell's string (the earlier
/// numeric cells get their invariant text) and still keeping the numbers of numeric cells, which lets the schema tell a
/// numeric column with a stray word from a text column.
/// </summary>
internal sealed class CsvColumnBuilder(string name)
{
    private readonly ChunkedList<double> _numbers = new();
    private ChunkedList<int>? _codes;
    private Dictionary<string, int>? _index;
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private List<string>? _levels;
    private bool _allInteger = true;
    private int _numericCells;

    public string Name { get; } = name;

    /// <summary>Adds the next cell (unescaped and trimmed by the reader); numbers are parsed by Sep (csFastFloat,
    /// invariant culture).</summary>
    /// <returns>False when the cell is an infinite number (the caller reports it).</returns>
    public bool Add(SepReader.Col cell)
    {
        var text = cell.Span;
        double value = 0;
        return Add(text, !MissingValues.IsMissing(text) && MayBeNumber(text[0]) && cell.TryParse(out value), value);
    }

    /// <summary>Adds the next cell given as text (trimmed by the caller), not read from a file: numbers are parsed by
    /// <see cref="double.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider?, out double)"/> (invariant culture).</summary>
    /// <returns>False when the cell is an infinite number (the caller reports it).</returns>
    public bool Add(ReadOnlySpan<char> text)
    {
        double value = 0;
        return Add(text, !MissingValues.IsMissing(text) && MayBeNumber(text[0])
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value), value);
    }

    // The cell's text and, when it reads as a number, that number.
    private bool Add(ReadOnlySpan<char> text, bool isNumber, double value)
    {
        if (MissingValues.IsMissing(text))
        {
            _numbers.Add(double.NaN);
            _codes?.Add(-1);
            return true;
        }
        if (IsInfinityToken(text)) return false;
        if (isNumber)
        {
            if (double.IsInfinity(value)) return false;
            _numbers.Add(value);
            _numericCells++;
            if (_allInteger && (text.IndexOfAny('.', 'e', 'E') >= 0 || value != Math.Floor(value))) _allInteger = false;
            if (_codes is not null) _codes.Add(Intern(text));
            return true;
        }
        if (_codes is null) SwitchToText();
        _numbers.Add(double.NaN);
        _codes!.Add(Intern(text));
        return true;
    }

    // A number starts with a digit, a sign or a decimal point; checking first keeps text cells from the parser.
    private static bool MayBeNumber(char first) => char.IsAsciiDigit(first) || first is '-' or '+' or '.';

    private static bool IsInfinityToken(ReadOnlySpan<char> text)
    {
        if (text.Length > 0 && (text[0] == '+' || text[0] == '-')) text = text[1..];
        return text.Equals("inf", StringComparison.OrdinalIgnoreCase) || text.Equals("infinity", StringComparison.OrdinalIgnoreCase)
            || text.SequenceEqual("∞");
    }

    private void SwitchToText()
    {
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
        _levels = [];
        _codes = new ChunkedList<int>();
        for (int i = 0; i < _numbers.Count; i++)
        {
            double v = _numbers[i];
            _codes.Add(double.IsNaN(v) ? -1 : Intern(TableColumn.FormatNumber(v, false)));
        }
    }

    private int Intern(ReadOnlySpan<char> text)
    {
        if (_lookup.TryGetValue(text, out int code)) return code;
        string s = text.ToString();
        code = _levels!.Count;
        _index!.Add(s, code);
        _levels.Add(s);
        return code;
    }

    /// <summary>The finished column; the builder's storage is released.</summary>
    public TableColumn Build()
    {
        if (_codes is null) return TableColumn.FromNumbers(Name, _numbers.ToArray(), _allInteger && _numericCells > 0);
        int[] codes = _codes.ToArray();
        double[]? numbers = _numericCells > 0 ? _numbers.ToArray() : null;
        return TableColumn.FromText(Name, codes, _levels!.ToArray(), numbers, _allInteger && _numericCells > 0);
    }
}
