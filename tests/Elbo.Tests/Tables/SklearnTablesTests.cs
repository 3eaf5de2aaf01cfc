using System.Globalization;
using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Tests.Data;

namespace Elbo.Tests.Tables;

/// <summary>A fact that runs only when Debian's python3-sklearn is installed (scripts/setup.sh installs it).</summary>
public sealed class SklearnFactAttribute : FactAttribute
{
    public const string Folder = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    public SklearnFactAttribute()
    {
        if (!Directory.Exists(Folder)) Skip = $"python3-sklearn is not installed ({Folder} is missing; scripts/setup.sh installs it)";
    }
}

/// <summary>A theory that runs only when Debian's python3-sklearn is installed.</summary>
public sealed class SklearnTheoryAttribute : TheoryAttribute
{
    public SklearnTheoryAttribute()
    {
        if (!Directory.Exists(SklearnFactAttribute.Folder)) Skip = $"python3-sklearn is not installed ({SklearnFactAttribute.Folder} is missing; scripts/setup.sh installs it)";
    }
}

/// <summary>
/// Real public tables shipped by python3-sklearn. Their first line is not a header but "rows,features,class names…"
/// (the data rows hold the features and then the class index), so the tests write each with a header line first — what
/// a user has to do with such a file (docs/tables.md) — and check that the file as shipped is a clear format error.
/// </summary>
public class SklearnTablesTests
{
    private static string WithHeader(TempFolder dir, string file, out string[] classNames)
    {
        var lines = File.ReadAllLines(Path.Combine(SklearnFactAttribute.Folder, file));
        var first = lines[0].Split(',');
        int rows = int.Parse(first[0], CultureInfo.InvariantCulture), features = int.Parse(first[1], CultureInfo.InvariantCulture);
        classNames = first[2..];
        Assert.Equal(rows, lines.Length - 1);
        string header = string.Join(",", Enumerable.Range(0, features).Select(j => $"f{j}").Append("target"));
        return TableFixtures.Text(dir, file, header + "\n" + string.Join("\n", lines[1..]) + "\n");
    }

    [SklearnFact]
    public void TheFileAsShippedIsARaggedRowErrorNamingTheFirstRow()
    {
        string path = Path.Combine(SklearnFactAttribute.Folder, "wine_data.csv");

        var e = Assert.Throws<DataFormatException>(() => TableReader.Read(path));

        Assert.Equal("row 1 (line 2) has 14 field(s), the header has 5", e.Problem);
    }

    [SklearnFact]
    public void BreastCancerLoadsAsThirtyNumericColumnsAndABinaryLabel()
    {
        using var dir = new TempFolder();
        string path = WithHeader(dir, "breast_cancer.csv", out var classes);

        var splits = TableDataSource.Load(path, new TableOptions { Label = "target" });

        Assert.Equal(["malignant", "benign"], classes);
        Assert.Equal((455, 114), (splits.Train.Count, splits.Test.Count));
        Assert.Equal(DataShape.Table(60), splits.Shape);              // 30 values and 30 observation flags
        var schema = splits.TableSchema!;
        Assert.All(schema.Columns.Where(c => c.Name != "target"), c => Assert.Equal(TableColumnType.Numeric, c.Type));
        Assert.Equal(["0", "1"], schema.ClassNames);
        Assert.All(splits.Train.ToArray().Chunk(60).SelectMany(r => r[30..]), m => Assert.Equal(1f, m));   // nothing missing
        int benign = splits.Train.Labels.ToArray().Count(l => l == 1) + splits.Test.Labels.ToArray().Count(l => l == 1);
        Assert.Equal(357, benign);
        // Standardized with the training split: mean 0 and std 1 per column there.
        var x = splits.Train.ToArray();
        for (int j = 0; j < 30; j++)
        {
            var column = Enumerable.Range(0, splits.Train.Count).Select(i => (double)x[i * 60 + j]).ToArray();
            double mean = column.Average();
            Assert.Equal(0, mean, 4);
            Assert.Equal(1, Math.Sqrt(column.Average(v => (v - mean) * (v - mean))), 4);
        }
    }

    [SklearnFact]
    public void WineAndIrisRoundTripThroughEncodingDecodingAndParquet()
    {
        using var dir = new TempFolder();
        foreach (string file in new[] { "wine_data.csv", "iris.csv" })
        {
            var table = TableReader.Read(WithHeader(dir, file, out var classes));
            var schema = TableSchema.Infer(table, new TableOptions { Label = "target" });
            Assert.Equal(classes.Length, schema.ClassNames!.Count);

            var encoded = TableEncoder.Encode(schema, table);
            var decoded = TableDecoder.Decode(schema, encoded.Values, encoded.Rows);
            foreach (var column in decoded.Columns)
                for (int i = 0; i < table.RowCount; i++)
                {
                    double original = table[column.Name].Numbers![i];
                    Assert.Equal(original, column.Numbers![i], Math.Max(1e-4, Math.Abs(original) * 1e-6));
                }

            string parquet = dir.File(Path.ChangeExtension(file, ".parquet"));
            TableWriter.Write(table, parquet);
            var back = TableSchema.Infer(TableReader.Read(parquet), new TableOptions { Label = "target" });
            Assert.Equal(TableSchemaFile.ToJson(schema), TableSchemaFile.ToJson(back));
        }
    }

    [SklearnFact]
    public void WinesIntegerColumnsAreKeptAsIntegers()
    {
        using var dir = new TempFolder();
        var schema = TableSchema.Infer(TableReader.Read(WithHeader(dir, "wine_data.csv", out _)), new TableOptions { Label = "target" });

        // Magnesium (f4) and proline (f12) are whole numbers with many distinct values: numeric, rounded on output.
        Assert.Equal((TableColumnType.Numeric, true), (schema.Find("f4")!.Type, schema.Find("f4")!.Integer));
        Assert.Equal((TableColumnType.Numeric, true), (schema.Find("f12")!.Type, schema.Find("f12")!.Integer));
        Assert.Equal((TableColumnType.Numeric, false), (schema.Find("f0")!.Type, schema.Find("f0")!.Integer));
        Assert.Equal(13, schema.Width);
    }
}
