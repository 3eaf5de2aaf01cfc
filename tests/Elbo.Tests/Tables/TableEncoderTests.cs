using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Tests.Data;

namespace Elbo.Tests.Tables;

public class TableEncoderTests
{
    [Fact]
    public void NumericIsStandardizedCategoricalOneHotBooleanZeroOneAndMissingMasked()
    {
        using var dir = new TempFolder();
        var table = TableReader.Read(TableFixtures.Text(dir, "t.csv", "x,c,b\n1,red,yes\n3,blue,no\nNA,red,\n2,,yes\n"));
        var schema = TableSchema.Infer(table, new TableOptions { Categorical = ["c"] });

        var encoded = TableEncoder.Encode(schema, table);

        // x: mean 2, std sqrt(2/3); c: [blue, red]; b: [no, yes].
        float s = (float)(1 / Math.Sqrt(2 / 3.0));
        Assert.Equal((4, 4), (encoded.Rows, encoded.Width));
        // laid out x, b, c ×2 (grouped by kind)
        Assert.Equal([-s, 1, 0, 1, /**/ s, 0, 1, 0, /**/ 0, 0, 0, 1, /**/ 0, 1, 0, 0], encoded.Values, new FloatTolerance(1e-6f));
        Assert.Equal([1, 1, 1, 1, /**/ 1, 1, 1, 1, /**/ 0, 0, 1, 1, /**/ 1, 1, 0, 0], encoded.Mask.Select(m => (int)m));
        Assert.Equal(4, encoded.MissingCount());
        Assert.Empty(encoded.UnseenCategories);
    }

    [Fact]
    public void ACategoryTheTrainingRowsDidNotHaveIsMissingAndCounted()
    {
        using var dir = new TempFolder();
        var train = TableReader.Read(TableFixtures.Text(dir, "train.csv", "c,b,x\nred,true,1\nblue,false,2\n"));
        var schema = TableSchema.Infer(train, new TableOptions { Categorical = ["c"] });
        var later = TableReader.Read(TableFixtures.Text(dir, "later.csv", "c,b,x\ngreen,TRUE,1\nred,maybe,2\ngreen,false,3\n"));

        var encoded = TableEncoder.Encode(schema, later);

        Assert.Equal(new Dictionary<string, int> { ["c"] = 2, ["b"] = 1 }, encoded.UnseenCategories);
        // laid out x, b, c ×2 (grouped by kind)
        Assert.Equal([1, 1, 0, 0, /**/ 1, 0, 1, 1, /**/ 1, 1, 0, 0], encoded.Mask.Select(m => (int)m));
        Assert.Equal(1f, encoded.Values[1]); // TRUE matches the spelling "true" whatever its case
    }

    [Fact]
    public void AStrayWordInANumericColumnNamesFileRowAndColumnUnlessCoerced()
    {
        using var dir = new TempFolder();
        var lines = Enumerable.Range(0, 40).Select(i => i == 17 ? "n/a?" : $"{i}.5");
        string path = TableFixtures.Text(dir, "t.csv", "v,w\n" + string.Concat(lines.Select((l, i) => $"{l},{i}\n")));
        var table = TableReader.Read(path);

        var strict = TableSchema.Infer(table);
        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Encode(strict, table));
        var coerced = TableEncoder.Encode(TableSchema.Infer(table, new TableOptions { Coerce = true }), table);

        Assert.Equal(path, e.FilePath);
        Assert.StartsWith("row 18, column \"v\": \"n/a?\" is not a number", e.Problem);
        Assert.Equal(0, coerced.Mask[17 * 2]);
        Assert.Equal(1, coerced.Mask[16 * 2]);
    }

    [Fact]
    public void NamingATextColumnNumericMakesItsWordsErrors()
    {
        using var dir = new TempFolder();
        var table = TableReader.Read(TableFixtures.Text(dir, "t.csv", "v\n1\nten\n3\n"));

        var e = Assert.Throws<DataFormatException>(() => TableEncoder.Encode(TableSchema.Infer(table, new TableOptions { Numeric = ["v"] }), table));

        Assert.StartsWith("row 2, column \"v\": \"ten\" is not a number", e.Problem);
    }

    [Fact]
    public void LabelsAreIndicesOfTheClassNamesAndMinusOneWhereMissing()
    {
        using var dir = new TempFolder();
        var table = TableReader.Read(TableFixtures.Text(dir, "t.csv", "x,y\n1,b\n2,a\n3,\n4,b\n"));
        var schema = TableSchema.Infer(table, new TableOptions { Label = "y" });

        var encoded = TableEncoder.Encode(schema, table, [3, 2, 1]);

        Assert.Equal(["a", "b"], schema.ClassNames);
        Assert.Equal([1, -1, 0], encoded.Labels);
        Assert.Equal(1, encoded.Width);
    }

    [Fact]
    public void IntegerCategoriesMatchWhetherTheLaterFileHoldsNumbersOrText()
    {
        using var dir = new TempFolder();
        var train = TableReader.Read(TableFixtures.Text(dir, "train.csv", "g,x\n1,0.5\n2,1.5\n3,2.5\n"));
        var schema = TableSchema.Infer(train, new TableOptions { Categorical = ["g"] });
        var text = TableReader.Read(TableFixtures.Text(dir, "later.csv", "g,x\n3,1\nthree,2\n"));

        // laid out x, g ×3 (grouped by kind)
        Assert.Equal([0, 0, 1], TableEncoder.Encode(schema, text).Values.Skip(1).Take(3));
        Assert.Equal([1, 0, 0], TableEncoder.Encode(schema, train).Values.Skip(1).Take(3));
        Assert.Equal(new Dictionary<string, int> { ["g"] = 1 }, TableEncoder.Encode(schema, text).UnseenCategories);
    }
}

internal sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

    public int GetHashCode(float obj) => 0;
}
