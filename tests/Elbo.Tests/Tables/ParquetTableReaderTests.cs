using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Tests.Data;
using Parquet.Schema;

namespace Elbo.Tests.Tables;

public class ParquetTableReaderTests
{
    [Fact]
    public void EveryRowGroupIsReadWithNumbersTextBooleansDatesAndNulls()
    {
        using var dir = new TempFolder();
        var day = new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        string path = TableFixtures.Parquet(dir, "t.parquet", groupSize: 2,
            (new DataField<double?>("x"), new double?[] { 1.5, null, 3, 4.25, null }),
            (new DataField<int>("n"), new[] { 1, 2, 3, 4, 5 }),
            (new DataField<long>("big"), new long[] { 10, 20, 30, 40, 50 }),
            (new DataField<float>("f"), new[] { 0.5f, 1, 2, 3, 4 }),
            (new DataField<string>("s"), new string?[] { "a", null, "b", "a", "c" }),
            (new DataField<bool?>("b"), new bool?[] { true, false, null, true, true }),
            (new DataField<DateTime?>("d"), new DateTime?[] { day, null, day.AddDays(1), day.AddHours(12), day }));

        var table = TableReader.Read(path);

        Assert.Equal(5, table.RowCount);
        Assert.Equal(["x", "n", "big", "f", "s", "b", "d"], table.ColumnNames);
        Assert.Equal([1.5, double.NaN, 3, 4.25, double.NaN], table["x"].Numbers!);
        Assert.False(table["x"].IsInteger);
        Assert.Equal([1.0, 2, 3, 4, 5], table["n"].Numbers!);
        Assert.True(table["n"].IsInteger);
        Assert.True(table["big"].IsInteger);
        Assert.False(table["f"].IsInteger);
        Assert.Equal(["a", null, "b", "a", "c"], Enumerable.Range(0, 5).Select(table["s"].Text));
        Assert.Equal(["a", "b", "c"], table["s"].Levels);
        Assert.Equal(TableValueType.Boolean, table["b"].Type);
        Assert.Equal([1.0, 0, double.NaN, 1, 1], table["b"].Numbers!);
        Assert.Equal(TableValueType.Date, table["d"].Type);
        double epochDay = (day - DateTime.UnixEpoch).TotalDays;
        Assert.Equal([epochDay, double.NaN, epochDay + 1, epochDay + 0.5, epochDay], table["d"].Numbers!);
        Assert.Equal("2024-03-01", table["d"].Text(0));
    }

    [Fact]
    public void AFileThatIsNotParquetIsAOneLineFormatError()
    {
        using var dir = new TempFolder();
        string path = TableFixtures.Text(dir, "fake.parquet", "a,b\n1,2\n");

        var e = Assert.Throws<DataFormatException>(() => TableReader.Read(path));

        Assert.Equal(path, e.FilePath);
        Assert.StartsWith("is not a readable Parquet file", e.Problem);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AnEmptyFileNamedParquetIsAFormatError()
    {
        using var dir = new TempFolder();
        string path = TableFixtures.Text(dir, "empty.parquet", "");

        Assert.Throws<DataFormatException>(() => TableReader.Read(path));
    }

    [Fact]
    public void AnInfiniteValueNamesItsRowAcrossRowGroupsAndItsColumn()
    {
        using var dir = new TempFolder();
        string path = TableFixtures.Parquet(dir, "inf.parquet", groupSize: 2,
            (new DataField<double>("x"), new[] { 1.0, 2, 3, double.PositiveInfinity }));

        var e = Assert.Throws<DataFormatException>(() => TableReader.Read(path));

        Assert.Equal("row 4, column \"x\": an infinite value", e.Problem);
    }

    [Fact]
    public void AFileWithoutRowsIsAFormatError()
    {
        using var dir = new TempFolder();
        string path = TableFixtures.Parquet(dir, "none.parquet", groupSize: 1, (new DataField<double>("x"), Array.Empty<double>()));

        Assert.Equal("has no rows", Assert.Throws<DataFormatException>(() => TableReader.Read(path)).Problem);
    }
}
