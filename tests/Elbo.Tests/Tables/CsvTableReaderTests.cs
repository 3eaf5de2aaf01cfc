using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Tests.Data;

namespace Elbo.Tests.Tables;

public class CsvTableReaderTests
{
    [Fact]
    public void NumbersTextAndMissingValuesAreStoredPerColumn()
    {
        using var dir = new TempFolder();
        string path = TableFixtures.Text(dir, "t.csv", "x,n,word\n1.5,3,a\nNA,4,b\n2.5,,a\n  nan ,5,None\n-1e2,N/A,c\n");

        var table = TableReader.Read(path);

        Assert.Equal(5, table.RowCount);
        Assert.Equal(["x", "n", "word"], table.ColumnNames);
        var x = table["x"];
        Assert.Equal(TableValueType.Number, x.Type);
        Assert.False(x.IsInteger);
        Assert.Equal([1.5, double.NaN, 2.5, double.NaN, -100], x.Numbers!);
        var n = table["n"];
        Assert.True(n.IsInteger);
        Assert.Equal([3, 4, double.NaN, 5, double.NaN], n.Numbers!);
        var word = table["word"];
        Assert.Equal(TableValueType.Text, word.Type);
        Assert.Equal(["a", "b", "c"], word.Levels);
        Assert.Equal([0, 1, 0, -1, 2], word.Codes!);
        Assert.Null(word.Numbers);
        Assert.Equal(1, word.MissingCount());
    }

    [Fact]
    public void QuotesEscapedQuotesAndEmbeddedNewlinesFollowRfc4180()
    {
        using var dir = new TempFolder();
        string path = TableFixtures.Text(dir, "q.csv", "name,\"note, with comma\"\r\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\r\nplain,\"\"\r\n");

        var table = TableReader.Read(path);

        Assert.Equal(["name", "note, with comma"], table.ColumnNames);
        Assert.Equal("Smith, J", table["name"].Text(0));
        Assert.Equal("said \"hi\"\nthen left", table["note, with comma"].Text(0));
        Assert.True(table["note, with comma"].IsMissing(1));
    }

    [Fact]
    public void TsvFilesAreSplitOnTabsAndAByteOrderMarkIsIgnored()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.tsv");
        File.WriteAllText(path, "a\tb c\n1\tx,y\n2\tz\n", new System.Text.UTF8Encoding(true));

        var table = TableReader.Read(path);

        Assert.Equal(["a", "b c"], table.ColumnNames);
        Assert.Equal("x,y", table["b c"].Text(0));
        Assert.Equal([1.0, 2.0], table["a"].Numbers!);
    }

    [Fact]
    public void ATextColumnKeepsTheNumbersOfItsNumericCells()
    {
        using var dir = new TempFolder();
        string path = TableFixtures.Text(dir, "t.csv", "v\n1\n2.5\noops\n4\n");

        var v = TableReader.Read(path)["v"];

        Assert.Equal(TableValueType.Text, v.Type);
        Assert.Equal(["1", "2.5", "oops", "4"], Enumerable.Range(0, 4).Select(v.Text));
        Assert.Equal([1, 2.5, double.NaN, 4], v.Numbers!);
        Assert.False(v.IsInteger);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("a,b\n", "has a header but no data rows")]
    [InlineData("a,b\n1,2\n3\n", "row 2 (line 3) has 1 field(s), the header has 2")]
    [InlineData("a,b\n1,2\n3,4,5\n", "row 2 (line 3) has 3 field(s), the header has 2")]
    [InlineData("a,b\n1,2\n3,\"4\n5,6\n", "row 2 (line 3): a quote that is never closed")]
    [InlineData("a,b\n1,inf\n", "row 1 (line 2), column \"b\": an infinite value (inf)")]
    [InlineData("a,b\n1,2\n-Infinity,2\n", "row 2 (line 3), column \"a\": an infinite value (-Infinity)")]
    [InlineData("a,a\n1,2\n", "header (line 1): Col name 'a' found 2 times")]
    [InlineData("a,\n1,2\n", "column 2 has no name")]
    public void BadFilesAreOneLineErrorsNamingFileRowAndColumn(string text, string problem)
    {
        using var dir = new TempFolder();
        string path = TableFixtures.Text(dir, "bad.csv", text);

        var e = Assert.Throws<DataFormatException>(() => TableReader.Read(path));

        Assert.Equal(path, e.FilePath);
        Assert.Contains(problem, e.Problem);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void BytesThatAreNotUtf8AreAnErrorNamingTheRowAndColumn()
    {
        using var dir = new TempFolder();
        string path = dir.File("latin1.csv");
        File.WriteAllBytes(path, [.. "name,city\nann,"u8, 0x4D, 0xFC, 0x6E, .. "chen\nbob,Rome\n"u8]);

        var e = Assert.Throws<DataFormatException>(() => TableReader.Read(path));

        Assert.Equal("row 1 (line 2), column \"city\": bytes that are not UTF-8", e.Problem);
    }

    [Fact]
    public void UnknownExtensionsAndMissingFilesAreRefused()
    {
        using var dir = new TempFolder();
        string json = TableFixtures.Text(dir, "t.json", "{}");

        Assert.Contains(".csv, .tsv or .parquet", Assert.Throws<DataFormatException>(() => TableReader.Read(json)).Problem);
        Assert.Throws<DataNotFoundException>(() => TableReader.Read(dir.File("absent.csv")));
        Assert.True(TableReader.IsTableFile("x.PARQUET"));
        Assert.False(TableReader.IsTableFile("folder"));
    }

    [Fact]
    public void ManyRowsSpanSeveralChunksAndComeBackInOrder()
    {
        using var dir = new TempFolder();
        var text = new System.Text.StringBuilder("i,s\n");
        for (int i = 0; i < 150_000; i++) text.Append(i).Append(',').Append(i % 7 == 0 ? "seven" : "other").Append('\n');
        string path = TableFixtures.Text(dir, "big.csv", text.ToString());

        var table = TableReader.Read(path);

        Assert.Equal(150_000, table.RowCount);
        Assert.Equal(Enumerable.Range(0, 150_000).Select(i => (double)i), table["i"].Numbers!);
        Assert.Equal("seven", table["s"].Text(140_000));
        Assert.Equal("other", table["s"].Text(140_001));
    }
}
