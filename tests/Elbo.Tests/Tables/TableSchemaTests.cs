using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Tests.Data;

namespace Elbo.Tests.Tables;

public class TableSchemaTests
{
    private static TableSchema Infer(TempFolder dir, string text, TableOptions? options = null) =>
        TableSchema.Infer(TableReader.Read(TableFixtures.Text(dir, "t.csv", text)), options);

    private static string Rows(string header, int n, Func<int, string> row) =>
        header + "\n" + string.Concat(Enumerable.Range(0, n).Select(i => row(i) + "\n"));

    [Fact]
    public void EachKindOfColumnIsInferredFromWhatItHolds()
    {
        using var dir = new TempFolder();
        string path = TableFixtures.MixedCsv(dir);

        var schema = TableSchema.Infer(TableReader.Read(path), new TableOptions { Label = "species" });

        var types = schema.Columns.ToDictionary(c => c.Name, c => c.Type);
        Assert.Equal(TableColumnType.Numeric, types["height"]);
        Assert.Equal(TableColumnType.Numeric, types["age"]);
        Assert.Equal(TableColumnType.Categorical, types["colour"]);
        Assert.Equal(TableColumnType.Categorical, types["grade"]);
        Assert.Equal(TableColumnType.Boolean, types["smoker"]);
        Assert.Equal(TableColumnType.Dropped, types["id"]);
        Assert.Equal(TableColumnType.Dropped, types["unit"]);
        Assert.Equal(TableColumnType.Label, types["species"]);
        Assert.True(schema.Find("age")!.Integer);
        Assert.False(schema.Find("height")!.Integer);
        Assert.Equal(["blue, light", "green", "red"], schema.Find("colour")!.Categories);
        Assert.Equal(["1", "2", "3"], schema.Find("grade")!.Categories);
        Assert.Equal(["no", "yes"], schema.Find("smoker")!.Categories);
        Assert.Equal("id-like: all 60 values distinct", schema.Find("id")!.Note);
        Assert.Equal("constant: every value is cm", schema.Find("unit")!.Note);
        Assert.Equal(["setosa", "virginica"], schema.ClassNames);
        Assert.Equal(0.1, schema.Find("height")!.MissingRate, 12);
        Assert.Equal(
            [("height", TableColumnType.Numeric, 0, 1), ("age", TableColumnType.Numeric, 1, 1), ("smoker", TableColumnType.Boolean, 2, 1),
             ("colour", TableColumnType.Categorical, 3, 3), ("grade", TableColumnType.Categorical, 6, 3)],     // grouped by kind
            schema.Encoded.Select(e => (e.Name, e.Kind, e.Offset, e.Width)));
        Assert.Equal(9, schema.Width);
    }

    [Fact]
    public void NumericStatisticsComeFromTheGivenRowsOnly()
    {
        using var dir = new TempFolder();
        var table = TableReader.Read(TableFixtures.Text(dir, "t.csv", "x\n1\n3\n100\nNA\n5.5\n"));

        var schema = TableSchema.Infer(table, trainRows: [0, 1, 3]);

        var x = schema.Find("x")!;
        Assert.Equal((2.0, 1.0, 1.0, 3.0), (x.Mean, x.Std, x.Min, x.Max));
        Assert.Equal(1 / 3.0, x.MissingRate, 12);
        Assert.Equal(3, schema.TrainRows);
    }

    [Theory]
    [InlineData("true", "false")]
    [InlineData("Yes", "No")]
    [InlineData("T", "F")]
    [InlineData("y", "n")]
    public void TextPairsAreBooleanWithTheFileSpellingsFalseFirst(string yes, string no)
    {
        using var dir = new TempFolder();
        var schema = Infer(dir, Rows("b,x", 10, i => $"{(i % 3 == 0 ? yes : no)},{i}"));

        var b = schema.Find("b")!;
        Assert.Equal(TableColumnType.Boolean, b.Type);
        Assert.Equal([no, yes], b.Categories);
    }

    [Fact]
    public void ZeroOneIntegersAreBooleanAndOtherFewIntegersCategorical()
    {
        using var dir = new TempFolder();
        var schema = Infer(dir, Rows("flag,level,count", 200, i => $"{i % 2},{i % 4 * 10},{i}"));

        Assert.Equal(TableColumnType.Boolean, schema.Find("flag")!.Type);
        Assert.Equal(["0", "1"], schema.Find("flag")!.Categories);
        Assert.Equal(["0", "10", "20", "30"], schema.Find("level")!.Categories);
        Assert.Equal(TableColumnType.Numeric, schema.Find("count")!.Type);
    }

    [Fact]
    public void FewIntegersAmongFewRowsStayNumeric()
    {
        // 4 distinct values among 40 rows is 10% of the rows, above the 5% rule.
        using var dir = new TempFolder();
        var schema = Infer(dir, Rows("level", 40, i => $"{i % 4}"));

        Assert.Equal(TableColumnType.Numeric, schema.Find("level")!.Type);
    }

    [Fact]
    public void IsoDatesAreDroppedWithANote()
    {
        using var dir = new TempFolder();
        var schema = Infer(dir, Rows("when,x", 5, i => $"2024-01-0{i + 1},{i}"));

        Assert.Equal(TableColumnType.Dropped, schema.Find("when")!.Type);
        Assert.Equal("a date/time column", schema.Find("when")!.Note);
    }

    [Fact]
    public void TextWithTooManyCategoriesIsDroppedUnlessNamedCategorical()
    {
        using var dir = new TempFolder();
        string text = Rows("city,x", 300, i => $"c{i % 150},{i}");

        Assert.Equal(TableColumnType.Dropped, Infer(dir, text).Find("city")!.Type);
        Assert.Contains("maxCategories (100)", Infer(dir, text).Find("city")!.Note);
        Assert.Equal(150, Infer(dir, text, new TableOptions { Categorical = ["city"] }).Find("city")!.Categories.Length);
    }

    [Fact]
    public void MostlyNumericTextIsNumericAndSaysHowManyCellsAreNot()
    {
        using var dir = new TempFolder();
        var schema = Infer(dir, Rows("v,w", 40, i => $"{(i == 7 ? "oops" : (i * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture))},{i}"));

        Assert.Equal(TableColumnType.Numeric, schema.Find("v")!.Type);
        Assert.Equal("numeric: 1 of 40 cells are not numbers", schema.Find("v")!.Note);
    }

    [Fact]
    public void OverridesWin()
    {
        using var dir = new TempFolder();
        string path = TableFixtures.MixedCsv(dir);

        var schema = TableSchema.Infer(TableReader.Read(path),
            new TableOptions { Categorical = ["age"], Numeric = ["grade"], Drop = ["colour"], Label = "smoker" });

        Assert.Equal(TableColumnType.Categorical, schema.Find("age")!.Type);
        Assert.Equal(TableColumnType.Numeric, schema.Find("grade")!.Type);
        Assert.Equal((TableColumnType.Dropped, "named in drop"), (schema.Find("colour")!.Type, schema.Find("colour")!.Note));
        Assert.Equal(["no", "yes"], schema.ClassNames);
        Assert.Equal(TableColumnType.Categorical, schema.Find("species")!.Type);
    }

    [Theory]
    [InlineData("categorical")]
    [InlineData("numeric")]
    [InlineData("drop")]
    [InlineData("label")]
    public void AnOptionNamingAColumnThatIsNotThereNamesTheSettingAndTheColumn(string setting)
    {
        using var dir = new TempFolder();
        var table = TableReader.Read(TableFixtures.Text(dir, "t.csv", "a,b\n1,2\n3,4\n"));
        var options = setting switch
        {
            "categorical" => new TableOptions { Categorical = ["nope"] },
            "numeric" => new TableOptions { Numeric = ["nope"] },
            "drop" => new TableOptions { Drop = ["nope"] },
            _ => new TableOptions { Label = "nope" },
        };

        var e = Assert.Throws<SettingException>(() => TableSchema.Infer(table, options));

        Assert.Equal(setting, e.Setting);
        Assert.Contains("\"nope\"", e.Problem);
        Assert.Contains("(it has a, b)", e.Problem);
    }

    [Fact]
    public void AColumnNamedByTwoOptionsIsASettingError()
    {
        using var dir = new TempFolder();
        var table = TableReader.Read(TableFixtures.Text(dir, "t.csv", "a,b\n1,2\n3,4\n"));

        var e = Assert.Throws<SettingException>(() => TableSchema.Infer(table, new TableOptions { Drop = ["a"], Numeric = ["a"] }));

        Assert.Equal(("numeric", "names the column \"a\", which drop names too"), (e.Setting, e.Problem));
    }

    [Fact]
    public void WhenEveryColumnIsDroppedTheErrorSaysWhyForEach()
    {
        using var dir = new TempFolder();
        var table = TableReader.Read(TableFixtures.Text(dir, "t.csv", "a,b\n1,x\n1,y\n"));

        var e = Assert.Throws<DataFormatException>(() => TableSchema.Infer(table, new TableOptions { Drop = ["b"] }));

        Assert.Equal("no column is left for the model: a: constant: every value is 1; b: named in drop", e.Problem);
    }

    [Fact]
    public void TheSchemaRoundTripsThroughJson()
    {
        using var dir = new TempFolder();
        var schema = TableSchema.Infer(TableReader.Read(TableFixtures.MixedCsv(dir)), new TableOptions { Label = "species", Coerce = true });

        string json = TableSchemaFile.ToJson(schema);
        var back = TableSchemaFile.FromJson(json, "config.json");

        Assert.Equal(json, TableSchemaFile.ToJson(back));
        Assert.Equal(schema.Encoded, back.Encoded);
        Assert.True(back.Coerce);
        Assert.Equal(schema.Columns.Select(c => (c.Name, c.Type, c.Mean, c.Std, c.Min, c.Max, c.Integer, c.MissingRate, c.Note, c.Source)),
            back.Columns.Select(c => (c.Name, c.Type, c.Mean, c.Std, c.Min, c.Max, c.Integer, c.MissingRate, c.Note, c.Source)));
        Assert.Equal(schema.Columns.Select(c => c.Categories), back.Columns.Select(c => c.Categories));
        Assert.Contains("\"type\": \"categorical\"", json);
        Assert.Contains("\"missingRate\"", json);
    }

    [Fact]
    public void AnInvalidSchemaFileIsAFormatErrorNamingIt()
    {
        var e = Assert.Throws<DataFormatException>(() => TableSchemaFile.FromJson("{\"columns\": [{\"name\": \"a\", \"type\": \"categorical\"}]}", "run/config.json"));

        Assert.Equal("run/config.json", e.FilePath);
        Assert.Contains("no categories", e.Problem);
        Assert.Throws<DataFormatException>(() => TableSchemaFile.FromJson("{\"columns\": [{\"type\": \"colour\"}]}", "c.json"));
    }

    [Fact]
    public void TheSummaryHasOneLinePerColumn()
    {
        using var dir = new TempFolder();
        var schema = TableSchema.Infer(TableReader.Read(TableFixtures.MixedCsv(dir)), new TableOptions { Label = "species" });

        var lines = schema.Summary();

        Assert.Equal(schema.Columns.Count, lines.Count);
        Assert.Equal("height   numeric        mean 164.83, std 8.6683, range [150, 179.5]; missing 10%", lines[0]);
        Assert.Equal("colour   categorical    3 categories: blue, light, green, red", lines[2]);
        Assert.Equal("smoker   boolean        no / yes", lines[4]);
        Assert.Equal("id       dropped        id-like: all 60 values distinct", lines[5]);
        Assert.Equal("species  label          2 classes: setosa, virginica", lines[7]);
        Assert.StartsWith("table: 2 numeric standardized", schema.Describe());
    }

    [Fact]
    public void ALaterTableMustHaveTheSchemasColumns()
    {
        using var dir = new TempFolder();
        var schema = TableSchema.Infer(TableReader.Read(TableFixtures.Text(dir, "train.csv", "a,b,id\n1,x,1\n2,y,2\n3,x,3\n")), new TableOptions { Drop = ["id"] });

        schema.CheckColumns(TableReader.Read(TableFixtures.Text(dir, "ok.csv", "b,a\nx,1\n")));
        var missing = Assert.Throws<DataFormatException>(() => schema.CheckColumns(TableReader.Read(TableFixtures.Text(dir, "m.csv", "a,id\n1,1\n"))));
        var extra = Assert.Throws<DataFormatException>(() => schema.CheckColumns(TableReader.Read(TableFixtures.Text(dir, "e.csv", "a,b,c\n1,x,2\n"))));

        Assert.Equal((dir.File("m.csv"), "has no column \"b\", which the model was trained on (categorical)"), (missing.FilePath, missing.Problem));
        Assert.Equal("column \"c\" was not in the table the model was trained on", extra.Problem);
    }
}
