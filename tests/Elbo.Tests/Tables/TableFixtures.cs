using Elbo.Data.Tables;
using Parquet;
using Parquet.Schema;

namespace Elbo.Tests.Tables;

/// <summary>Small table files written by the tests.</summary>
internal static class TableFixtures
{
    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="name"/> in
    /// <paramref name="dir"/> and returns the path.</summary>
    public static string Text(Elbo.Tests.Data.TempFolder dir, string name, string text)
    {
        string path = dir.File(name);
        File.WriteAllText(path, text, new System.Text.UTF8Encoding(false));
        return path;
    }

    /// <summary>Writes a Parquet file of the given columns (one row group per <paramref name="groupSize"/> rows).</summary>
    public static string Parquet(Elbo.Tests.Data.TempFolder dir, string name, int groupSize, params (DataField Field, Array Values)[] columns)
    {
        string path = dir.File(name);
        var schema = new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray());
        int rows = columns[0].Values.Length;
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(schema, stream).GetAwaiter().GetResult();
        for (int start = 0; start < rows; start += groupSize)
        {
            int n = Math.Min(groupSize, rows - start);
            using var group = writer.CreateRowGroup();
            foreach (var (field, values) in columns) WriteColumn(group, field, values, start, n);
        }
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return path;
    }

    private static void WriteColumn(ParquetRowGroupWriter group, DataField field, Array values, int start, int n)
    {
        switch (values)
        {
            case string?[] s: group.WriteAsync(field, s.Skip(start).Take(n).ToArray()).GetAwaiter().GetResult(); break;
            case double?[] d: group.WriteAsync<double>(field, d.AsMemory(start, n)).GetAwaiter().GetResult(); break;
            case double[] d: group.WriteAsync<double>(field, (ReadOnlyMemory<double>)d.AsMemory(start, n)).GetAwaiter().GetResult(); break;
            case float[] f: group.WriteAsync<float>(field, (ReadOnlyMemory<float>)f.AsMemory(start, n)).GetAwaiter().GetResult(); break;
            case int[] i: group.WriteAsync<int>(field, (ReadOnlyMemory<int>)i.AsMemory(start, n)).GetAwaiter().GetResult(); break;
            case int?[] i: group.WriteAsync<int>(field, i.AsMemory(start, n)).GetAwaiter().GetResult(); break;
            case long[] l: group.WriteAsync<long>(field, (ReadOnlyMemory<long>)l.AsMemory(start, n)).GetAwaiter().GetResult(); break;
            case bool?[] b: group.WriteAsync<bool>(field, b.AsMemory(start, n)).GetAwaiter().GetResult(); break;
            case DateTime?[] t: group.WriteAsync<DateTime>(field, t.AsMemory(start, n)).GetAwaiter().GetResult(); break;
            default: throw new ArgumentException($"no writer for {values.GetType()}");
        }
    }

    /// <summary>A mixed table of 60 rows: numeric float with missing, integer numeric, a text categorical, an integer
    /// categorical, a yes/no boolean, an id, a constant and a label.</summary>
    public static string MixedCsv(Elbo.Tests.Data.TempFolder dir, string name = "mixed.csv", int rows = 60)
    {
        var lines = new List<string> { "height,age,colour,grade,smoker,id,unit,species" };
        string[] colours = ["red", "green", "blue, light"];
        for (int i = 0; i < rows; i++)
        {
            string height = i % 10 == 3 ? "NA" : (150 + i * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string colour = colours[i % 3];
            colour = colour.Contains(',') ? $"\"{colour}\"" : colour;
            lines.Add($"{height},{20 + (i * 7) % 50},{colour},{1 + i % 3},{(i % 4 == 0 ? "yes" : "no")},id{i:000},cm,{(i % 2 == 0 ? "setosa" : "virginica")}");
        }
        return Text(dir, name, string.Join("\n", lines) + "\n");
    }
}
