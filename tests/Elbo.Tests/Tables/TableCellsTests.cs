using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Tests.Data;

namespace Elbo.Tests.Tables;

public class TableCellsTests
{
    private static Dictionary<string, string?> Row(params (string Name, string? Cell)[] cells) => cells.ToDictionary(c => c.Name, c => c.Cell);

    [Fact]
    public void RowsAreReadAsTheSameCellsOfACsvFileWouldBe()
    {
        using var dir = new TempFolder();
        var table = TableReader.Read(TableFixtures.Text(dir, "t.csv", "x,n,word,flag\n1.5,3,a,yes\nNA,4,b,no\n2.5,,a,\n  nan ,5,None,yes\n-1e2,N/A,c,no\n"));
        Dictionary<string, string?>[] rows =
        [
            Row(("x", "1.5"), ("n", "3"), ("word", "a"), ("flag", "yes")),
            Row(("x", "NA"), ("n", "4"), ("word", "b"), ("flag", "no")),
            Row(("x", "2.5"), ("n", null), ("word", "a"), ("flag", "")),
            Row(("x", "  nan "), ("n", "5"), ("word", "None"), ("flag", "yes")),
            Row(("x", "-1e2"), ("n", "N/A"), ("word", "c"), ("flag", "no")),
        ];

        var cells = TableCells.FromRows(rows);

        Assert.Equal(table.ColumnNames, cells.ColumnNames);
        Assert.Equal(table.RowCount, cells.RowCount);
        foreach (var column in table.Columns)
        {
            var other = cells[column.Name];
            Assert.Equal(column.Type, other.Type);
            Assert.Equal(column.IsInteger, other.IsInteger);
            Assert.Equal(column.Numbers, other.Numbers);
            Assert.Equal(column.Levels, other.Levels);
            Assert.Equal(column.Codes, other.Codes);
        }
    }

    [Fact]
    public void ColumnsComeInTheOrderFirstSeenAndAnAbsentCellIsMissing()
    {
        var table = TableCells.FromRows([Row(("b", "1"), ("a", "x")), Row(("a", "y"), ("c", "2.5"))]);

        Assert.Equal(["b", "a", "c"], table.ColumnNames);
        Assert.True(table["b"].IsMissing(1));
        Assert.True(table["c"].IsMissing(0));
        Assert.Equal(2.5, table["c"].Numbers![1]);
    }

    [Fact]
    public void ToRowsGivesEachCellAsACsvFileWouldHoldIt()
    {
        var table = new Table("t", [
            TableColumn.FromNumbers("n", [3, double.NaN], isInteger: true),
            TableColumn.FromNumbers("x", [0.25, -1.5]),
            TableColumn.FromBooleans("b", [1, 0]),
            TableColumn.FromStrings("s", ["a", null]),
        ]);

        var rows = TableCells.ToRows(table);

        Assert.Equal(2, rows.Length);
        Assert.Equal(["n", "x", "b", "s"], rows[0].Keys);
        Assert.Equal(new Dictionary<string, string?> { ["n"] = "3", ["x"] = "0.25", ["b"] = "true", ["s"] = "a" }, rows[0]);
        Assert.Equal(new Dictionary<string, string?> { ["n"] = null, ["x"] = "-1.5", ["b"] = "false", ["s"] = null }, rows[1]);
        // and back: the same cells
        var again = TableCells.FromRows(rows);
        Assert.Equal(table["x"].Numbers, again["x"].Numbers);
        Assert.Equal(table["n"].Numbers, again["n"].Numbers);
    }

    [Fact]
    public void NoRowsABlankNameAndAnInfiniteNumberAreFormatErrors()
    {
        Assert.Contains("has no rows", Assert.Throws<DataFormatException>(() => TableCells.FromRows([])).Message);
        Assert.Contains("a column has no name", Assert.Throws<DataFormatException>(() => TableCells.FromRows([Row((" ", "1"))])).Message);
        var e = Assert.Throws<DataFormatException>(() => TableCells.FromRows([Row(("x", "1")), Row(("x", "-inf"))]));
        Assert.Contains("row 2, column \"x\": an infinite value (-inf)", e.Message);
    }
}
