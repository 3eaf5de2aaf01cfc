using System.Diagnostics;

namespace Elbo.Evaluation.Quality;

/// <summary>
/// Scores a synthetic table against the real one with SDMetrics' single-table QualityReport
/// (https://docs.sdv.dev/sdmetrics/reports/quality-report/whats-included):
/// <list type="bullet">
/// <item><b>Column Shapes</b>: per column <see cref="KsComplement"/> (numeric) or <see cref="TvComplement"/>
/// (categorical), averaged;</item>
/// <item><b>Column Pair Trends</b>: for every pair of columns <see cref="CorrelationSimilarity"/> (both numeric) or
/// <see cref="ContingencySimilarity"/> (otherwise; a numeric column cut into <see cref="HistogramBins"/>), averaged —
/// every pair is scored, none is sampled (40 columns are 780 pairs, each one pass over the rows);</item>
/// <item>the <b>overall score</b>, the mean of the two properties;</item>
/// </list>
/// and, with <see cref="QualityOptions.Privacy"/>, the distance-to-closest-record check (<see cref="PrivacyResult"/>)
/// of the synthetic rows against the real (training) rows and the optional holdout rows.
/// </summary>
public static class QualityReport
{
    /// <summary>The metric names written in <see cref="ColumnShapeScore.Metric"/> and <see cref="ColumnPairScore.Metric"/>.</summary>
    public const string KsComplementName = "KSComplement", TvComplementName = "TVComplement",
        CorrelationSimilarityName = "CorrelationSimilarity", ContingencySimilarityName = "ContingencySimilarity";

    /// <summary>Scores <paramref name="synthetic"/> against <paramref name="real"/> (the rows the model was trained on);
    /// <paramref name="holdout"/> (real rows the model never saw) is used only by the privacy check. The tables must
    /// have the same column names and kinds (in any order; the real table's order is kept); categories are matched by
    /// name, and a category only the synthetic table has counts as absent from the real one.</summary>
    /// <exception cref="ArgumentException">The tables' columns differ, or the options are out of range.</exception>
    public static QualityResult Compute(QualityTable real, QualityTable synthetic, QualityTable? holdout = null, QualityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        options ??= new QualityOptions();
        if (options.Bins < 1) throw new SettingException("bins", $"must be at least 1, got {options.Bins}");
        var watch = Stopwatch.StartNew();
        var columns = AlignedColumn.Align(real, synthetic, holdout);

        var shapes = columns.Select(Shape).ToArray();
        var pairs = Pairs(columns, options);
        double? shapeScore = Mean(shapes.Select(s => s.Score)), pairScore = Mean(pairs.Select(p => p.Score));
        var privacy = options.Privacy ? PrivacyCheck.Compute(columns, holdout?.RowCount ?? 0, options) : null;
        return new QualityResult
        {
            RealRows = real.RowCount,
            SyntheticRows = synthetic.RowCount,
            ColumnShapes = shapeScore,
            ColumnPairTrends = pairScore,
            Score = Mean([shapeScore, pairScore]),
            CorrelationMethod = options.CorrelationMethod,
            Bins = options.Bins,
            Columns = shapes,
            Pairs = pairs,
            Privacy = privacy,
            Seconds = watch.Elapsed.TotalSeconds,
        };
    }

    private static ColumnShapeScore Shape(AlignedColumn c)
    {
        double? score;
        double realMissing, syntheticMissing;
        if (c.Kind == QualityColumnKind.Numeric)
        {
            score = KsComplement.Compute(c.RealValues, c.SyntheticValues);
            realMissing = MissingShare(c.RealValues!);
            syntheticMissing = MissingShare(c.SyntheticValues!);
        }
        else
        {
            score = TvComplement.Compute(c.RealCodes, c.SyntheticCodes, c.Categories.Count);
            realMissing = MissingShare(c.RealCodes!);
            syntheticMissing = MissingShare(c.SyntheticCodes!);
        }
        return new ColumnShapeScore
        {
            Column = c.Name,
            Kind = c.Kind,
            Metric = c.Kind == QualityColumnKind.Numeric ? KsComplementName : TvComplementName,
            Score = score,
            RealMissing = realMissing,
            SyntheticMissing = syntheticMissing,
            SyntheticOnlyCategories = c.SyntheticOnly,
            Note = score is null ? NoObserved(realMissing, syntheticMissing) : null,
        };
    }

    private static ColumnPairScore[] Pairs(AlignedColumn[] columns, QualityOptions options)
    {
        // Binned codes of every numeric column, at the real column's edges, for its pairs with categorical columns.
        var binned = new (int[] Real, int[] Synthetic, int Count)?[columns.Length];
        bool anyCategorical = columns.Any(c => c.Kind == QualityColumnKind.Categorical);
        for (int c = 0; c < columns.Length; c++)
            if (anyCategorical && columns[c].Kind == QualityColumnKind.Numeric)
            {
                var bins = HistogramBins.FromReal(columns[c].RealValues, options.Bins);
                binned[c] = (bins.Codes(columns[c].RealValues), bins.Codes(columns[c].SyntheticValues), bins.CodeCount);
            }
        var list = new List<(int I, int J)>();
        for (int i = 0; i < columns.Length; i++)
            for (int j = i + 1; j < columns.Length; j++) list.Add((i, j));
        var result = new ColumnPairScore[list.Count];
        Parallel.For(0, list.Count, k =>
        {
            var (i, j) = list[k];
            AlignedColumn a = columns[i], b = columns[j];
            if (a.Kind == QualityColumnKind.Numeric && b.Kind == QualityColumnKind.Numeric)
            {
                var (score, r, s) = CorrelationSimilarity.Compute(a.RealValues, b.RealValues, a.SyntheticValues, b.SyntheticValues, options.CorrelationMethod);
                result[k] = new ColumnPairScore
                {
                    Column1 = a.Name,
                    Column2 = b.Name,
                    Metric = CorrelationSimilarityName,
                    Score = score,
                    RealCorrelation = double.IsNaN(r) ? null : r,
                    SyntheticCorrelation = double.IsNaN(s) ? null : s,
                    Note = score is null ? UndefinedCorrelation(double.IsNaN(r), double.IsNaN(s)) : null,
                };
                return;
            }
            var (ra, sa, na) = Codes(a, binned[i]);
            var (rb, sb, nb) = Codes(b, binned[j]);
            var contingency = ContingencySimilarity.Compute(ra, rb, sa, sb, na, nb);
            result[k] = new ColumnPairScore
            {
                Column1 = a.Name,
                Column2 = b.Name,
                Metric = ContingencySimilarityName,
                Score = contingency,
                Note = contingency is null ? "a table has no rows" : null,
            };
        });
        return result;
    }

    private static (int[] Real, int[] Synthetic, int Count) Codes(AlignedColumn c, (int[] Real, int[] Synthetic, int Count)? binned) =>
        c.Kind == QualityColumnKind.Categorical ? (c.RealCodes!, c.SyntheticCodes!, c.Categories.Count) : binned!.Value;

    private static string UndefinedCorrelation(bool real, bool synthetic)
    {
        string which = real && synthetic ? "either table" : real ? "the real table" : "the synthetic table";
        return $"the correlation is undefined in {which} (fewer than two rows with both values, or a column constant over them)";
    }

    private static string NoObserved(double realMissing, double syntheticMissing) =>
        realMissing == 1 && syntheticMissing == 1 ? "no observed value in either table"
        : realMissing == 1 ? "no observed value in the real table" : "no observed value in the synthetic table";

    private static double MissingShare(double[] values) => values.Length == 0 ? 1 : values.Count(double.IsNaN) / (double)values.Length;

    private static double MissingShare(int[] codes) => codes.Length == 0 ? 1 : codes.Count(c => c < 0) / (double)codes.Length;

    private static double? Mean(IEnumerable<double?> scores)
    {
        double sum = 0;
        int n = 0;
        foreach (var s in scores)
            if (s is { } v)
            {
                sum += v;
                n++;
            }
        return n == 0 ? null : sum / n;
    }
}
