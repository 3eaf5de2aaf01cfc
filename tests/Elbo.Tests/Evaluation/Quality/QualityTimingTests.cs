using System.Diagnostics;
using Elbo.Evaluation.Quality;
using Xunit.Abstractions;

namespace Elbo.Tests.Evaluation.Quality;

public class QualityTimingTests(ITestOutputHelper output)
{
    [Fact]
    public void TenThousandSyntheticRowsAgainstTenThousandTrainingRowsOfThirtyColumnsTakeSeconds()
    {
        const int rows = 10_000, numeric = 20, categorical = 10;
        var rng = new Random(5);
        QualityTable Table() => new(Enumerable.Range(0, numeric + categorical).Select(c => c < numeric
            ? QualityColumn.Numeric($"n{c}", Enumerable.Range(0, rows).Select(_ => QualityTestTables.Normal(rng)).ToArray())
            : QualityColumn.Categorical($"c{c}", Enumerable.Range(0, rows).Select(_ => rng.Next(5)).ToArray(), ["a", "b", "c", "d", "e"])));
        var train = Table();
        var synthetic = Table();
        var watch = Stopwatch.StartNew();
        var r = QualityReport.Compute(train, synthetic);
        watch.Stop();
        output.WriteLine($"quality of {rows} × {numeric + categorical}: {watch.Elapsed.TotalSeconds:F2} s, of which DCR {r.Privacy!.Seconds:F2} s");
        Assert.Equal(435, r.Pairs.Count);
        Assert.True(r.Privacy.SyntheticMedianDcr > 0);
        Assert.True(watch.Elapsed.TotalSeconds < 60, $"{watch.Elapsed.TotalSeconds} s");
    }
}
