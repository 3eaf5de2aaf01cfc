using Elbo.Serialization;
using nietras.SeparatedValues;
using Parquet;
using Parquet.Schema;

namespace Elbo.Data.Tables;

/// <summary>
/// Writes a <see cref="Table"/> atomically (a temporary file renamed over the target, <see cref="AtomicFile"/>) by the
/// extension: <c>.csv</c>/<c>.tsv</c> with Sep (a header of the column names; RFC 4180 quoting where a value holds the
/// separator, a quote or a line break; missing values empty; integers without a decimal point, other numbers in
/// round-trip form, booleans <c>true</c>/<c>false</c>, dates ISO 8601) or <c>.parquet</c> with Parquet.Net (integers
/// as INT64, other numbers as DOUBLE, booleans as BOOLEAN, text as UTF-8 strings, dates as timestamps; all nullable,
/// missing values null).
/// </summary>
public static class TableWriter
{
    private const int RowGroupSize = 1 << 17;

    /// <summary>Writes <paramref name="table"/> to <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The extension is not .csv, .tsv or .parquet.</exception>
    public static void Write(Table table, string path)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(path);
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".csv":
                AtomicFile.Write(path, s => WriteSeparated(table, s, ','));
                break;
            case ".tsv":
                AtomicFile.Write(path, s => WriteSeparated(table, s, '\t'));
                break;
            case ".parquet":
                AtomicFile.Write(path, s => WriteParquetAsync(table, s).AsTask().GetAwaiter().GetResult());
                break;
            default:
                throw new DataFormatException(path, "is not a table file: the name must end in .csv, .tsv or .parquet");
        }
    }

    private static void WriteSeparated(Table table, Stream stream, char separator)
    {
        using var text = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
        using (var writer = Sep.New(separator).Writer(o => o with { Escape = true, WriteHeader = true }).To(text, leaveOpen: true))
        {
            var names = table.Columns.Select(c => c.Name).ToArray();
            writer.Header.Add(names);
            for (int i = 0; i < table.RowCount; i++)
            {
                using var row = writer.NewRow();
                for (int j = 0; j < names.Length; j++) row[names[j]].Set(table.Columns[j].Text(i) ?? "");
            }
        }
        text.Flush();
    }

    private static async ValueTask WriteParquetAsync(Table table, Stream stream)
    {
        var fields = table.Columns.Select(Field).ToArray();
        var schema = new ParquetSchema(fields);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        for (int start = 0; start < Math.Max(1, table.RowCount); start += RowGroupSize)
        {
            int n = Math.Min(RowGroupSize, table.RowCount - start);
            using var group = writer.CreateRowGroup();
            for (int j = 0; j < fields.Length; j++)
            {
                var column = table.Columns[j];
                switch (column.Type)
                {
                    case TableValueType.Text:
                    {
                        var values = new string?[n];
                        for (int i = 0; i < n; i++) values[i] = column.Text(start + i);
                        await group.WriteAsync(fields[j], values);
                        break;
                    }
                    case TableValueType.Boolean:
                        await group.WriteAsync<bool>(fields[j], Convert(column, start, n, v => v != 0).AsMemory());
                        break;
                    case TableValueType.Date:
                        await group.WriteAsync<DateTime>(fields[j],
                            Convert(column, start, n, v => DateTime.UnixEpoch.AddTicks((long)Math.Round(v * TimeSpan.TicksPerDay))).AsMemory());
                        break;
                    default:
                        if (column.IsInteger) await group.WriteAsync<long>(fields[j], Convert(column, start, n, v => (long)Math.Round(v)).AsMemory());
                        else await group.WriteAsync<double>(fields[j], Convert(column, start, n, v => v).AsMemory());
                        break;
                }
            }
        }
    }

    private static DataField Field(TableColumn column) => column.Type switch
    {
        TableValueType.Text => new DataField<string>(column.Name, true),
        TableValueType.Boolean => new DataField<bool?>(column.Name),
        TableValueType.Date => new DataField<DateTime?>(column.Name),
        _ => column.IsInteger ? new DataField<long?>(column.Name) : new DataField<double?>(column.Name),
    };

    private static T?[] Convert<T>(TableColumn column, int start, int n, Func<double, T> convert) where T : struct
    {
        var result = new T?[n];
        var numbers = column.Numbers!;
        for (int i = 0; i < n; i++)
        {
            double v = numbers[start + i];
            result[i] = double.IsNaN(v) ? null : convert(v);
        }
        return result;
    }
}
