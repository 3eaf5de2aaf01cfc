using Parquet;
using Parquet.Schema;

namespace Elbo.Data.Tables;

/// <summary>
/// Reads a Parquet file with Parquet.Net, every row group in turn: integer and floating-point columns (nullable or not)
/// become numbers (integers flagged as such), decimals numbers, booleans booleans, strings text (interned), dates and
/// timestamps dates; nulls are missing. Nested columns (lists, maps, structs) and binary columns are not table columns
/// and are refused. Rows are counted from 1 across row groups.
/// </summary>
public static class ParquetTableReader
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">Not a Parquet file, no rows, a column of a type tables cannot hold, or an
    /// infinite value.</exception>
    /// <exception cref="DataNotFoundException">The file does not exist.</exception>
    public static Table Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new DataNotFoundException($"{path}: no such file");
        ParquetFooter.Check(path);
        try
        {
            return ReadAsync(path).AsTask().GetAwaiter().GetResult();
        }
        catch (DataFormatException)
        {
            throw;
        }
        // Parquet.Net reports damaged data with many exception types (its own, Thrift's, index and argument errors, found
        // by fuzzing): any of them means the file is not a readable Parquet file. Memory exhaustion is not hidden.
        catch (Exception ex) when (ex is not (OutOfMemoryException or DataNotFoundException))
        {
            throw new DataFormatException(path, $"is not a readable Parquet file ({ex.Message.ReplaceLineEndings(" ")})", ex);
        }
    }

    private static async ValueTask<Table> ReadAsync(string path)
    {
        // through a view whose ReadByte throws at the end: Parquet.Net's Thrift reader loops for ever on a page header
        // cut short otherwise (see EndThrowingStream)
        await using var reader = await ParquetReader.CreateAsync(new EndThrowingStream(File.OpenRead(path), ownsInner: true), leaveStreamOpen: false);
        var fields = reader.Schema.DataFields;
        if (reader.Schema.Fields.Count != fields.Length || fields.Any(f => f.IsArray))
            throw new DataFormatException(path, "has nested columns (lists, maps or structs); a table needs flat columns");
        long total = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            total += rg.RowCount;
        }
        if (fields.Length == 0) throw new DataFormatException(path, "has no columns");
        if (total == 0) throw new DataFormatException(path, "has no rows");
        if (total > Array.MaxLength) throw new DataFormatException(path, $"has {total} rows, more than a table holds");
        int rows = (int)total;
        var columns = new TableColumn[fields.Length];
        for (int j = 0; j < fields.Length; j++)
            columns[j] = await ReadColumnAsync(path, reader, fields[j], rows);
        return new Table(path, columns);
    }

    private static async ValueTask<TableColumn> ReadColumnAsync(string path, ParquetReader reader, DataField field, int rows)
    {
        Type t = field.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>)) return await ReadTextAsync(reader, field, rows);
        if (t == typeof(bool)) return TableColumn.FromBooleans(field.Name, await ReadNumbersAsync<bool>(path, reader, field, rows, b => b ? 1 : 0));
        if (t == typeof(DateTime))
            return TableColumn.FromDates(field.Name, await ReadNumbersAsync<DateTime>(path, reader, field, rows, d => (d - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerDay));
        if (t == typeof(DateTimeOffset))
            return TableColumn.FromDates(field.Name, await ReadNumbersAsync<DateTimeOffset>(path, reader, field, rows, d => (d.UtcDateTime - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerDay));
        if (t == typeof(DateOnly))
            return TableColumn.FromDates(field.Name, await ReadNumbersAsync<DateOnly>(path, reader, field, rows, d => d.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber));
        if (t == typeof(double)) return Numbers(field, await ReadNumbersAsync<double>(path, reader, field, rows, v => v), false);
        if (t == typeof(float)) return Numbers(field, await ReadNumbersAsync<float>(path, reader, field, rows, v => v), false);
        if (t == typeof(decimal)) return Numbers(field, await ReadNumbersAsync<decimal>(path, reader, field, rows, v => (double)v), false);
        if (t == typeof(long)) return Numbers(field, await ReadNumbersAsync<long>(path, reader, field, rows, v => v), true);
        if (t == typeof(int)) return Numbers(field, await ReadNumbersAsync<int>(path, reader, field, rows, v => v), true);
        if (t == typeof(short)) return Numbers(field, await ReadNumbersAsync<short>(path, reader, field, rows, v => v), true);
        if (t == typeof(sbyte)) return Numbers(field, await ReadNumbersAsync<sbyte>(path, reader, field, rows, v => v), true);
        if (t == typeof(byte)) return Numbers(field, await ReadNumbersAsync<byte>(path, reader, field, rows, v => v), true);
        if (t == typeof(ushort)) return Numbers(field, await ReadNumbersAsync<ushort>(path, reader, field, rows, v => v), true);
        if (t == typeof(uint)) return Numbers(field, await ReadNumbersAsync<uint>(path, reader, field, rows, v => v), true);
        if (t == typeof(ulong)) return Numbers(field, await ReadNumbersAsync<ulong>(path, reader, field, rows, v => v), true);
        throw new DataFormatException(path, $"column \"{field.Name}\" holds {t.Name} values, which a table cannot use");
    }

    private static TableColumn Numbers(DataField field, double[] values, bool integer) => TableColumn.FromNumbers(field.Name, values, integer);

    private static async ValueTask<double[]> ReadNumbersAsync<T>(string path, ParquetReader reader, DataField field, int rows, Func<T, double> convert)
        where T : struct
    {
        var result = new double[rows];
        int offset = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int n = checked((int)rg.RowCount);
            if (field.IsNullable)
            {
                var buffer = new T?[n];
                await rg.ReadAsync<T>(field, buffer.AsMemory());
                for (int i = 0; i < n; i++) result[offset + i] = buffer[i] is T v ? convert(v) : double.NaN;
            }
            else
            {
                var buffer = new T[n];
                await rg.ReadAsync<T>(field, buffer.AsMemory());
                for (int i = 0; i < n; i++) result[offset + i] = convert(buffer[i]);
            }
            for (int i = 0; i < n; i++)
                if (double.IsInfinity(result[offset + i]))
                    throw new DataFormatException(path, $"row {offset + i + 1}, column \"{field.Name}\": an infinite value");
            offset += n;
        }
        return result;
    }

    private static async ValueTask<TableColumn> ReadTextAsync(ParquetReader reader, DataField field, int rows)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var levels = new List<string>();
        var codes = new int[rows];
        int offset = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int n = checked((int)rg.RowCount);
            var buffer = new string?[n];
            await rg.ReadAsync(field, buffer.AsMemory());
            for (int i = 0; i < n; i++)
            {
                string? s = buffer[i];
                if (s is null) { codes[offset + i] = -1; continue; }
                if (!index.TryGetValue(s, out int code))
                {
                    code = levels.Count;
                    index.Add(s, code);
                    levels.Add(s);
                }
                codes[offset + i] = code;
            }
            offset += n;
        }
        return TableColumn.FromText(field.Name, codes, levels.ToArray());
    }
}
