using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Tests.Data;
using Parquet.Schema;

namespace Elbo.Tests.Tables;

public class TableDataSourceTests
{
    [Fact]
    public void AFileBecomesTableDatasetsWithMasksLabelsAndTheSchema()
    {
        using var dir = new TempFolder();
        string path = TableFixtures.MixedCsv(dir, rows: 100);

        var splits = TableDataSource.Load(path, new TableOptions { Label = "species", Seed = 5 });

        Assert.Equal("mixed", splits.Name);
        Assert.Equal((80, 20), (splits.Train.Count, splits.Test.Count));
        Assert.Equal(DataKind.Table, splits.Shape.Kind);
        // 9 encoded values grouped by kind (height, age, smoker, colour ×3, grade ×3), then 5 observation flags
        Assert.Equal(DataShape.Table(14), splits.Shape);
        Assert.Equal(["height", "age", "smoker", "colour", "grade"], splits.TableSchema!.Encoded.Select(e => e.Name));
        Assert.NotNull(splits.TableSchema);
        Assert.Equal(splits.TableSchema!.Describe(), splits.Train.Normalization);
        Assert.True(splits.Train.HasLabels);
        Assert.All(splits.Train.Labels.ToArray(), l => Assert.InRange(l, 0, 1));
        var values = new float[14];
        int missingRows = 0;
        for (int i = 0; i < splits.Train.Count; i++)
        {
            splits.Train.CopyImage(i, values);
            if (values[9] == 0)                      // height's observation flag
            {
                missingRows++;
                Assert.Equal(0f, values[0]);
            }
            Assert.All(values[10..], m => Assert.Equal(1f, m));
        }
        Assert.InRange(missingRows, 1, 20);
        // Train statistics: the standardized numeric columns have mean 0 over the observed training rows.
        var all = splits.Train.ToArray();
        Assert.Equal(0, Enumerable.Range(0, splits.Train.Count).Select(i => all[i * 14 + 1]).Average(), 5);
        Assert.Equal(80, splits.TableSchema.TrainRows);
    }

    [Fact]
    public void TheSplitIsSeededAndItsFractionIsASetting()
    {
        var (train, test) = TableSplit.Random("t.csv", 10, 0.3, 42);
        var (train2, test2) = TableSplit.Random("t.csv", 10, 0.3, 42);
        var (_, test3) = TableSplit.Random("t.csv", 10, 0.3, 43);

        Assert.Equal((7, 3), (train.Length, test.Length));
        Assert.Equal(test, test2);
        Assert.Equal(train, train2);
        Assert.NotEqual(test, test3);
        Assert.Equal(Enumerable.Range(0, 10), train.Concat(test).Order());
        Assert.Equal(train.Order(), train);
        Assert.Equal("testFraction", Assert.Throws<SettingException>(() => TableSplit.Random("t.csv", 10, 1, 1)).Setting);
        Assert.Equal("testFraction", Assert.Throws<SettingException>(() => TableSplit.Random("t.csv", 10, 0, 1)).Setting);
        Assert.Throws<DataFormatException>(() => TableSplit.Random("t.csv", 1, 0.2, 1));
        Assert.Equal((1, 1), (TableSplit.Random("t.csv", 2, 0.01, 1).Train.Length, TableSplit.Random("t.csv", 2, 0.01, 1).Test.Length));
    }

    [Fact]
    public void ASeparateTestFileIsEncodedWithTheTrainingStatistics()
    {
        using var dir = new TempFolder();
        string train = TableFixtures.Text(dir, "train.csv", "x,c\n1,a\n3,b\n");
        string test = TableFixtures.Text(dir, "test.csv", "c,x\nb,5\n");

        var splits = TableDataSource.Load(train, new TableOptions { Test = test });

        Assert.Equal((2, 1), (splits.Train.Count, splits.Test.Count));
        Assert.Equal([3f, 0, 1, 1, 1], splits.Test.Image(0)); // (5 − mean 2) / std 1, category b, both observed
        Assert.False(splits.Train.HasLabels);
    }

    [Fact]
    public void ATestFileWithOtherColumnsIsAFormatErrorNamingIt()
    {
        using var dir = new TempFolder();
        string train = TableFixtures.Text(dir, "train.csv", "x,c\n1,a\n3,b\n");
        string test = TableFixtures.Text(dir, "test.csv", "x\n5\n");

        var e = Assert.Throws<DataFormatException>(() => TableDataSource.Load(train, new TableOptions { Test = test }));

        Assert.Equal((test, "has no column \"c\", which the model was trained on (categorical)"), (e.FilePath, e.Problem));
    }

    [Fact]
    public void ALaterFileIsEncodedWithTheSavedSchema()
    {
        using var dir = new TempFolder();
        var splits = TableDataSource.Load(TableFixtures.MixedCsv(dir), new TableOptions { Label = "species" });
        var saved = TableSchemaFile.FromJson(TableSchemaFile.ToJson(splits.TableSchema!), "config.json");
        string later = TableFixtures.MixedCsv(dir, "later.csv", rows: 7);

        var data = TableDataSource.Load(later, saved, out var table);

        Assert.Equal((7, splits.Shape.Features), (data.Count, data.Features));
        Assert.Equal(7, table.RowCount);
        Assert.Equal(DataKind.Table, data.Shape.Kind);
    }

    [Fact]
    public void ParquetFilesLoadLikeCsvFiles()
    {
        using var dir = new TempFolder();
        const int n = 50;
        string path = TableFixtures.Parquet(dir, "p.parquet", groupSize: 16,
            (new DataField<double?>("x"), Enumerable.Range(0, n).Select(i => i % 9 == 0 ? null : (double?)i * 0.1).ToArray()),
            (new DataField<string>("c"), Enumerable.Range(0, n).Select(i => (string?)(i % 3 == 0 ? "u" : "v")).ToArray()),
            (new DataField<bool?>("b"), Enumerable.Range(0, n).Select(i => (bool?)(i % 2 == 0)).ToArray()),
            (new DataField<DateTime?>("when"), Enumerable.Range(0, n).Select(i => (DateTime?)new DateTime(2020, 1, 1).AddDays(i)).ToArray()));

        var splits = TableDataSource.Load(path);

        var schema = splits.TableSchema!;
        Assert.Equal([TableColumnType.Numeric, TableColumnType.Categorical, TableColumnType.Boolean, TableColumnType.Dropped], schema.Columns.Select(c => c.Type));
        Assert.Equal((40, 10), (splits.Train.Count, splits.Test.Count));
        Assert.Equal(4 + 3, splits.Shape.Features);            // x, b, c ×2 and three observation flags
    }

}
