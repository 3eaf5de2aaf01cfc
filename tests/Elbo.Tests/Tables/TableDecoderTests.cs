using Elbo.Data.Tables;
using Elbo.Tests.Data;

namespace Elbo.Tests.Tables;

public class TableDecoderTests
{
    [Fact]
    public void EncodingThenDecodingGivesBackEveryObservedValue()
    {
        using var dir = new TempFolder();
        var table = TableReader.Read(TableFixtures.MixedCsv(dir));
        var schema = TableSchema.Infer(table, new TableOptions { Label = "species" });

        var encoded = TableEncoder.Encode(schema, table);
        var decoded = TableDecoder.Decode(schema, encoded.Values, encoded.Rows, new TableDecodeOptions { Probabilities = true });

        Assert.Equal(["height", "age", "colour", "grade", "smoker"], decoded.ColumnNames);
        foreach (var column in decoded.Columns)
        {
            var original = table[column.Name];
            for (int i = 0; i < table.RowCount; i++)
            {
                if (original.IsMissing(i)) continue;
                if (original.Numbers is not null && column.Numbers is not null)
                    Assert.Equal(original.Numbers[i], column.Numbers[i], 3);
                else
                    Assert.Equal(original.Text(i), column.Text(i));
            }
        }
        Assert.True(decoded["age"].IsInteger);
        Assert.True(decoded["grade"].IsInteger); // integer categories come back as integers
        Assert.Equal(TableValueType.Text, decoded["smoker"].Type);
    }

    [Fact]
    public void LogitsGiveTheArgmaxAndNumbersAreRoundedAndClipped()
    {
        var schema = new TableSchema
        {
            Columns =
            [
                new TableSchemaColumn { Name = "n", Type = TableColumnType.Numeric, Integer = true, Mean = 10, Std = 2, Min = 5, Max = 14 },
                new TableSchemaColumn { Name = "c", Type = TableColumnType.Categorical, Categories = ["a", "b", "c"] },
                new TableSchemaColumn { Name = "b", Type = TableColumnType.Boolean, Source = TableValueType.Boolean, Categories = ["false", "true"] },
            ],
        };
        float[] outputs = [0.26f, -0.1f, -1, 3, 2, /**/ 5, 0.2f, 0, 0, 0];      // laid out n, b, c (grouped by kind)

        var plain = TableDecoder.Decode(schema, outputs, 2);
        var clipped = TableDecoder.Decode(schema, outputs, 2, new TableDecodeOptions { Clip = true });

        Assert.Equal([11.0, 20], plain["n"].Numbers!);
        Assert.Equal([11.0, 14], clipped["n"].Numbers!);
        Assert.Equal("b", plain["c"].Text(0));
        Assert.Equal("a", plain["c"].Text(1));
        Assert.Equal([0.0, 1], plain["b"].Numbers!);
        Assert.Equal(TableValueType.Boolean, plain["b"].Type);
    }

    [Fact]
    public void SamplingFollowsTheProbabilitiesAndIsSeeded()
    {
        var schema = new TableSchema
        {
            Columns =
            [
                new TableSchemaColumn { Name = "c", Type = TableColumnType.Categorical, Categories = ["a", "b", "c"] },
                new TableSchemaColumn { Name = "b", Type = TableColumnType.Boolean, Source = TableValueType.Number, Categories = ["0", "1"] },
            ],
        };
        const int n = 20_000;
        var outputs = new float[n * 4];
        for (int i = 0; i < n; i++)
        {
            outputs[i * 4] = (float)Math.Log(0.25 / 0.75); // the boolean first (grouped by kind): logit of 0.25
            outputs[i * 4 + 1] = (float)Math.Log(0.2);
            outputs[i * 4 + 2] = (float)Math.Log(0.3);
            outputs[i * 4 + 3] = (float)Math.Log(0.5);
        }
        var options = new TableDecodeOptions { Sample = true };

        var first = TableDecoder.Decode(schema, outputs, n, options, new Generator(7));
        var second = TableDecoder.Decode(schema, outputs, n, options, new Generator(7));

        var counts = first["c"].Codes!.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count() / (double)n);
        Assert.Equal(0.2, counts[0], 1.5e-2);
        Assert.Equal(0.3, counts[1], 1.5e-2);
        Assert.Equal(0.5, counts[2], 1.5e-2);
        Assert.Equal(0.25, first["b"].Numbers!.Average(), 1.5e-2);
        Assert.Equal(first["c"].Codes!, second["c"].Codes!);
        Assert.Throws<ArgumentException>(() => TableDecoder.Decode(schema, outputs, n, options));
    }

    [Fact]
    public void MissingValuesAreReproducedAtTheirTrainingRates()
    {
        var schema = new TableSchema
        {
            Columns = [new TableSchemaColumn { Name = "x", Type = TableColumnType.Numeric, Mean = 0, Std = 1, MissingRate = 0.3 }],
        };
        const int n = 20_000;

        var decoded = TableDecoder.Decode(schema, new float[n], n, new TableDecodeOptions { ReproduceMissing = true }, new Generator(3));

        Assert.Equal(0.3, decoded["x"].MissingCount() / (double)n, 1.5e-2);
    }

    [Fact]
    public void FillMissingKeepsObservedCellsAndFillsTheOthers()
    {
        using var dir = new TempFolder();
        var table = TableReader.Read(TableFixtures.Text(dir, "t.csv", "x,c,id\n1,a,p\nNA,b,q\n3,,r\n"));
        var schema = TableSchema.Infer(table, new TableOptions { Drop = ["id"] });
        var guess = TableDecoder.Decode(schema, [0, 0, 1, /**/ 5, 1, 0, /**/ 0, 0, 1], 3, new TableDecodeOptions { Probabilities = true });

        var filled = TableDecoder.FillMissing(table, guess);

        Assert.Equal([1.0, 2 + 5 * schema.Find("x")!.Std, 3], filled["x"].Numbers!);
        Assert.Equal(["a", "b", "b"], Enumerable.Range(0, 3).Select(filled["c"].Text));
        Assert.Equal(["p", "q", "r"], Enumerable.Range(0, 3).Select(filled["id"].Text));
    }
}
