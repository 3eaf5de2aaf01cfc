using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Tests.Data;

namespace Elbo.Tests.Tables;

public class TableWriterTests
{
    private static Table Sample() => new("(test)",
    [
        TableColumn.FromNumbers("count", [1, 2, double.NaN], isInteger: true),
        TableColumn.FromNumbers("x", [0.1, double.NaN, -2.5e10]),
        TableColumn.FromStrings("note, with comma", ["plain", "say \"hi\"\nbye", null]),
        TableColumn.FromBooleans("ok", [1, 0, double.NaN]),
        TableColumn.FromDates("day", [19723, double.NaN, 19723.5]),
    ]);

    [Fact]
    public void CsvQuotesWhatNeedsQuotingAndReadsBackTheSameValues()
    {
        using var dir = new TempFolder();
        string path = dir.File("out.csv");

        TableWriter.Write(Sample(), path);
        string text = File.ReadAllText(path);
        var back = TableReader.Read(path);

        Assert.StartsWith("count,x,\"note, with comma\",ok,day\n1,0.1,plain,true,2024-01-01\n", text.ReplaceLineEndings("\n"));
        Assert.Contains("\"say \"\"hi\"\"\nbye\"", text.ReplaceLineEndings("\n"));
        Assert.Equal([1, 2, double.NaN], back["count"].Numbers!);
        Assert.True(back["count"].IsInteger);
        Assert.Equal([0.1, double.NaN, -2.5e10], back["x"].Numbers!);
        Assert.Equal(["plain", "say \"hi\"\nbye", null], Enumerable.Range(0, 3).Select(back["note, with comma"].Text));
        Assert.Equal(["true", "false", null], Enumerable.Range(0, 3).Select(back["ok"].Text));
        Assert.Equal(["2024-01-01", null, "2024-01-01T12:00:00"], Enumerable.Range(0, 3).Select(back["day"].Text));
        Assert.Single(Directory.GetFiles(dir.Path)); // no temporary file left behind
    }

    [Fact]
    public void ParquetKeepsTypesAndNulls()
    {
        using var dir = new TempFolder();
        string path = dir.File("out.parquet");

        TableWriter.Write(Sample(), path);
        var back = TableReader.Read(path);

        Assert.Equal([1, 2, double.NaN], back["count"].Numbers!);
        Assert.True(back["count"].IsInteger);
        Assert.False(back["x"].IsInteger);
        Assert.Equal([0.1, double.NaN, -2.5e10], back["x"].Numbers!);
        Assert.Equal(["plain", "say \"hi\"\nbye", null], Enumerable.Range(0, 3).Select(back["note, with comma"].Text));
        Assert.Equal(TableValueType.Boolean, back["ok"].Type);
        Assert.Equal([1, 0, double.NaN], back["ok"].Numbers!);
        Assert.Equal(TableValueType.Date, back["day"].Type);
        Assert.Equal([19723, double.NaN, 19723.5], back["day"].Numbers!);
    }

    [Fact]
    public void TsvUsesTabs()
    {
        using var dir = new TempFolder();
        string path = dir.File("out.tsv");

        TableWriter.Write(new Table("t", [TableColumn.FromNumbers("a", [1], true), TableColumn.FromStrings("b", ["x,y"])]), path);

        Assert.Equal("a\tb\n1\tx,y\n", File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void AnUnknownExtensionIsRefusedAndAnExistingFileIsLeftAlone()
    {
        using var dir = new TempFolder();
        string path = TableFixtures.Text(dir, "keep.txt", "old");

        Assert.Throws<DataFormatException>(() => TableWriter.Write(Sample(), path));
        Assert.Equal("old", File.ReadAllText(path));
    }
}
