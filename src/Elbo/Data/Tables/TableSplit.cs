namespace Elbo.Data.Tables;

/// <summary>A seeded train/test split of a table's rows: a random permutation (the engine's <see cref="Generator"/>,
/// the same on every machine) whose first round(N × testFraction) rows (at least one) are the test rows; both lists
/// are returned in file order.</summary>
public static class TableSplit
{
    /// <summary>Splits <paramref name="rows"/> rows of <paramref name="source"/> (for messages).</summary>
    /// <exception cref="SettingException"><paramref name="testFraction"/> is not in (0, 1).</exception>
    /// <exception cref="DataFormatException">Fewer than two rows.</exception>
    public static (int[] Train, int[] Test) Random(string source, int rows, double testFraction, ulong seed)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new SettingException("testFraction", $"must be between 0 and 1 (exclusive), got {testFraction}");
        if (rows < 2) throw new DataFormatException(source, $"has {rows} data row(s): at least 2 are needed to hold some out for testing");
        int test = (int)Math.Clamp(Math.Round(rows * testFraction), 1, rows - 1);
        var order = new int[rows];
        for (int i = 0; i < rows; i++) order[i] = i;
        new Generator(seed).Shuffle(order);
        int[] testRows = order[..test], trainRows = order[test..];
        Array.Sort(testRows);
        Array.Sort(trainRows);
        return (trainRows, testRows);
    }
}
