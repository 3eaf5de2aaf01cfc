using CsCheck;
using Elbo.Data.Tables;
using Elbo.Tests.Data;

namespace Elbo.Tests.Tables;

/// <summary>Property tests (CsCheck): random mixed tables written to CSV or Parquet, read back, encoded and decoded.</summary>
public class TableRoundTripProperties
{
    // Text cells with separators, quotes and line breaks, but no surrounding spaces (the reader trims those) and never a
    // missing-value token or a number (which would change the column's storage).
    private static readonly Gen<string> Word = Gen.String[Gen.Char["ab,\"\nxé"], 1, 6]
        .Where(s => !MissingValues.IsMissing(s) && s.Trim() == s && !char.IsAsciiDigit(s[0]));

    private static readonly Gen<Table> Tables =
        from rows in Gen.Int[2, 40]
        from numbers in Gen.Double[-1e6, 1e6].Select(v => Math.Round(v, 3)).Array[rows]
        from integers in Gen.Int[-1000, 1000].Array[rows]
        from missing in Gen.Bool.Array[rows]
        from levels in Word.Array[2, 4]
        from codes in Gen.Int[0, 3].Array[rows]
        select new Table("(generated)",
        [
            TableColumn.FromNumbers("x", numbers.Select((v, i) => missing[i] ? double.NaN : v).ToArray()),
            TableColumn.FromNumbers("n", integers.Select(v => (double)v).ToArray(), isInteger: true),
            TableColumn.FromStrings("c, \"q\"", codes.Select(k => (string?)levels[k % levels.Length]).ToArray()),
        ]);

    [Theory]
    [InlineData(".csv")]
    [InlineData(".parquet")]
    public void WritingThenReadingGivesTheSameCells(string extension)
    {
        using var dir = new TempFolder();
        Tables.Sample(table =>
        {
            string path = dir.File(Guid.NewGuid().ToString("N") + extension); // CsCheck runs iterations in parallel
            TableWriter.Write(table, path);
            var back = TableReader.Read(path);
            Assert.Equal(table.ColumnNames, back.ColumnNames);
            foreach (var column in table.Columns)
                for (int i = 0; i < table.RowCount; i++)
                    Assert.Equal(column.Text(i), back[column.Name].Text(i));
        }, iter: 60);
    }

    [Fact]
    public void EncodingThenDecodingGivesBackEveryObservedCell()
    {
        Tables.Sample(table =>
        {
            var schema = TableSchema.Infer(table, new TableOptions { Categorical = ["c, \"q\""], Numeric = ["n", "x"] });
            if (schema.Find("x")!.Type != TableColumnType.Numeric) return; // every x missing
            var encoded = TableEncoder.Encode(schema, table);
            var decoded = TableDecoder.Decode(schema, encoded.Values, encoded.Rows, new TableDecodeOptions { Probabilities = true });
            for (int i = 0; i < table.RowCount; i++)
            {
                double x = table["x"].Numbers![i];
                var stats = schema.Find("x")!;
                // float32 carries about 7 digits of the standardized value.
                if (!double.IsNaN(x)) Assert.Equal(x, decoded["x"].Numbers![i], 1e-6 * (Math.Abs(x) + Math.Abs(stats.Mean) + stats.Std));
                else Assert.Equal(0, encoded.Mask[i * encoded.Width]);
                Assert.Equal(table["n"].Numbers![i], decoded["n"].Numbers![i]);
                Assert.Equal(table["c, \"q\""].Text(i), decoded["c, \"q\""].Text(i));
            }
        }, iter: 100);
    }
}
