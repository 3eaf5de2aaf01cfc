using System.Text;
using Elbo.Data;
using Elbo.Data.Tables;

namespace Elbo.Fuzz.Targets;

/// <summary>
/// A table file as <c>elbo train --data FILE</c> loads it: <see cref="TableDataSource.Load(string, TableOptions?)"/> —
/// the reader (<see cref="CsvTableReader"/> on Sep, or <see cref="ParquetTableReader"/> on Parquet.Net), the seeded
/// split, the schema inference and the encoding of both splits. Refusals are <see cref="DataFormatException"/> (the
/// file) and <see cref="SettingException"/> (nothing left to model). Two targets with one harness: <c>csv</c> and
/// <c>parquet</c>. Seeds: slices of python3-sklearn's iris, wine and breast cancer tables (with a header line, as
/// docs/tables.md asks), a table with quoted fields, missing cells, ids, booleans and a constant, and for parquet the
/// same tables written by <see cref="TableWriter"/> (Parquet.Net).
/// </summary>
internal sealed class TableTarget(string name, string extension) : FuzzTarget
{
    private const string Sklearn = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    public override string Name => name;

    public override string Description => $"TableDataSource.Load (a {extension} file: read, split, infer, encode)";

    public override string? Run(byte[] input, Scratch scratch)
    {
        string path = scratch.Write("table" + extension, input);
        try
        {
            var splits = TableDataSource.Load(path);
            if (splits.Train.Features != splits.Test.Features) throw new InvalidOperationException($"train has {splits.Train.Features} features, test {splits.Test.Features}");
            return null;
        }
        catch (Exception e) when (e is DataFormatException or SettingException)
        {
            return e.Message;
        }
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds(Scratch scratch)
    {
        var tables = new List<(string Name, string Csv)>
        {
            ("iris", Sliced("iris.csv", 30)),
            ("wine", Sliced("wine_data.csv", 12)),
            ("breast-cancer", Sliced("breast_cancer.csv", 6)),
            ("mixed", MixedCsv()),
            ("people", TinyRuns.TableCsv(40)),
        };
        foreach (var (table, csv) in tables)
        {
            if (extension == ".csv") yield return (table + ".csv", Encoding.UTF8.GetBytes(csv));
            else
            {
                string source = scratch.Write(table + ".csv", Encoding.UTF8.GetBytes(csv)), parquet = scratch.PathOf(table + ".parquet");
                TableWriter.Write(TableReader.Read(source), parquet);
                yield return (table + ".parquet", File.ReadAllBytes(parquet));
            }
        }
    }

    // The first rows of a python3-sklearn table (evenly spaced, so every class shows), its first line ("rows,features,
    // class names…") replaced by a header f0,f1,…,target.
    private static string Sliced(string file, int rows)
    {
        var lines = File.ReadAllLines(Path.Combine(Sklearn, file));
        int features = int.Parse(lines[0].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture);
        var header = string.Join(",", Enumerable.Range(0, features).Select(j => $"f{j}").Append("target"));
        int step = Math.Max(1, (lines.Length - 1) / rows);
        var picked = Enumerable.Range(0, rows).Select(i => lines[1 + i * step]);
        return header + "\n" + string.Join("\n", picked) + "\n";
    }

    // Quoted fields with commas and quotes, NA and empty cells, an id column, a constant, yes/no, CRLF line ends.
    private static string MixedCsv()
    {
        var lines = new List<string> { "height,age,colour,grade,smoker,id,unit,note" };
        string[] colours = ["red", "green", "\"blue, light\""];
        for (int i = 0; i < 24; i++)
            lines.Add($"{(i % 10 == 3 ? "NA" : (150 + i * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture))},{20 + i * 7 % 50},{colours[i % 3]},"
                + $"{1 + i % 3},{(i % 4 == 0 ? "yes" : "no")},id{i:000},cm,{(i % 5 == 0 ? "\"said \"\"hi\"\"\"" : "")}");
        return string.Join("\r\n", lines) + "\r\n";
    }
}
