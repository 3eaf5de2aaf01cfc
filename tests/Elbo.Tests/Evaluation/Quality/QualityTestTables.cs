using Elbo.Evaluation.Quality;

namespace Elbo.Tests.Evaluation.Quality;

/// <summary>Small generated tables for the quality tests.</summary>
internal static class QualityTestTables
{
    public static readonly string[] Colours = ["red", "green", "blue"];

    /// <summary>A mixed table: x ~ N(0,1), y = x + N(0, 0.3²), z ~ U(0,10); colour depends on x, flag on colour; about
    /// 5 % of y and of colour missing.</summary>
    public static QualityTable Mixed(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = new double[rows];
        var y = new double[rows];
        var z = new double[rows];
        var colour = new int[rows];
        var flag = new bool?[rows];
        for (int i = 0; i < rows; i++)
        {
            x[i] = Normal(rng);
            y[i] = rng.NextDouble() < 0.05 ? double.NaN : x[i] + 0.3 * Normal(rng);
            z[i] = 10 * rng.NextDouble();
            colour[i] = rng.NextDouble() < 0.05 ? -1 : x[i] < -0.5 ? 0 : x[i] < 0.5 ? 1 : 2;
            flag[i] = colour[i] == 2 ? rng.NextDouble() < 0.9 : rng.NextDouble() < 0.2;
        }
        return new QualityTable([
            QualityColumn.Numeric("x", x), QualityColumn.Numeric("y", y), QualityColumn.Numeric("z", z),
            QualityColumn.Categorical("colour", colour, Colours), QualityColumn.Boolean("flag", flag),
        ]);
    }

    /// <summary>Every column of <paramref name="table"/> permuted on its own: the same marginals, no dependence left.</summary>
    public static QualityTable ShuffledColumns(QualityTable table, int seed)
    {
        var rng = new Random(seed);
        return new QualityTable(table.Columns.Select(c =>
        {
            if (c.Kind == QualityColumnKind.Numeric)
            {
                var v = (double[])c.Values!.Clone();
                rng.Shuffle(v);
                return QualityColumn.Numeric(c.Name, v);
            }
            var k = (int[])c.Codes!.Clone();
            rng.Shuffle(k);
            return QualityColumn.Categorical(c.Name, k, c.Categories);
        }));
    }

    public static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
