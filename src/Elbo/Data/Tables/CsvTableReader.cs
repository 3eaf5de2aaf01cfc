using nietras.SeparatedValues;

namespace Elbo.Data.Tables;

/// <summary>
/// Reads a CSV (comma) or TSV (tab) file with Sep: a header row of distinct, non-empty column names is required;
/// quoting, escaped quotes and embedded newlines follow RFC 4180; the text is UTF-8 (a byte-order mark is allowed).
/// Spaces around a cell (and inside quotes) are trimmed. Rows are counted from 1 at the first data row (the header is not
/// counted), and messages give the file's line too.
/// </summary>
public static class CsvTableReader
{
    /// <summary>Reads <paramref name="path"/> with <paramref name="separator"/> (',' or '\t').</summary>
    /// <exception cref="DataFormatException">The file is empty, has only a header, a row with a different number of
    /// fields than the header, an unterminated quote, bytes that are not UTF-8, or an infinite number.</exception>
    /// <exception cref="DataNotFoundException">The file does not exist.</exception>
    public static Table Read(string path, char separator)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new DataNotFoundException($"{path}: no such file");
        try
        {
            // Invalid UTF-8 decodes to U+FFFD, which every cell is checked for, so the message can name the row and column.
            using var text = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
            SepReader reader;
            try
            {
                reader = Sep.New(separator).Reader(o => o with { HasHeader = true, Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true }).From(text);
            }
            catch (ArgumentException ex)
            {
                // Sep refuses a header that names a column twice.
                throw new DataFormatException(path, $"header (line 1): {ex.Message.ReplaceLineEndings(" ")}", ex);
            }
            using (reader) return Read(path, reader);
        }
        catch (IOException ex) when (ex is not FileNotFoundException)
        {
            throw new DataFormatException(path, $"cannot be read: {ex.Message}", ex);
        }
    }

    private static string Where(int rowNumber, SepReader.Row row) => $"row {rowNumber} (line {row.LineNumberFrom})";

    private static Table Read(string path, SepReader reader)
    {
        if (reader.IsEmpty) throw new DataFormatException(path, "is empty (a header row of column names is required)");
        var names = reader.Header.ColNames;
        for (int j = 0; j < names.Count; j++)
        {
            string name = names[j];
            if (name.Contains('\uFFFD')) throw new DataFormatException(path, $"header (line 1), column {j + 1}: bytes that are not UTF-8");
            if (string.IsNullOrWhiteSpace(name)) throw new DataFormatException(path, $"header (line 1): column {j + 1} has no name");
        }
        if (!reader.HasRows) throw new DataFormatException(path, "has a header but no data rows");
        var builders = new CsvColumnBuilder[names.Count];
        for (int j = 0; j < builders.Length; j++) builders[j] = new CsvColumnBuilder(names[j]);
        int rowNumber = 0;
        foreach (var row in reader)
        {
            rowNumber++;
            var raw = row.Span;
            if (raw.Count('"') % 2 != 0) throw new DataFormatException(path, $"{Where(rowNumber, row)}: a quote that is never closed");
            if (row.ColCount != builders.Length)
                throw new DataFormatException(path, $"{Where(rowNumber, row)} has {row.ColCount} field(s), the header has {builders.Length}");
            if (raw.Contains('\uFFFD'))
                for (int j = 0; j < builders.Length; j++)
                    if (row[j].Span.Contains('\uFFFD'))
                        throw new DataFormatException(path, $"{Where(rowNumber, row)}, column \"{names[j]}\": bytes that are not UTF-8");
            for (int j = 0; j < builders.Length; j++)
            {
                var cell = row[j];
                if (!builders[j].Add(cell))
                    throw new DataFormatException(path, $"{Where(rowNumber, row)}, column \"{names[j]}\": an infinite value ({cell.ToString()})");
            }
        }
        var columns = new TableColumn[builders.Length];
        for (int j = 0; j < builders.Length; j++)
        {
            columns[j] = builders[j].Build();
            builders[j] = null!;
        }
        return new Table(path, columns);
    }
}
