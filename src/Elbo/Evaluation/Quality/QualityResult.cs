namespace Elbo.Evaluation.Quality;

/// <summary>
/// The scores of synthetic rows against real ones, as written to <c>quality.json</c> (<see cref="QualityResultFile"/>):
/// SDMetrics' QualityReport for a single table (https://docs.sdv.dev/sdmetrics/reports/quality-report) — the Column
/// Shapes and Column Pair Trends properties and their mean, the overall score — with every column's and pair's score,
/// and the distance-to-closest-record privacy check. Every score is in [0, 1], 1 best; a score is null when it is not
/// defined for the data (SDMetrics' NaN), with <c>Note</c> saying why, and property means skip nulls (SDMetrics
/// averages with nanmean).
/// </summary>
public sealed record QualityResult
{
    /// <summary>Rows of the real (training) table.</summary>
    public int RealRows { get; init; }

    /// <summary>Rows of the synthetic table.</summary>
    public int SyntheticRows { get; init; }

    /// <summary>The overall quality score: the mean of <see cref="ColumnShapes"/> and <see cref="ColumnPairTrends"/>
    /// (of the one defined, when only one is; null when neither is).</summary>
    public double? Score { get; init; }

    /// <summary>The Column Shapes property: the mean of the defined <see cref="Columns"/> scores.</summary>
    public double? ColumnShapes { get; init; }

    /// <summary>The Column Pair Trends property: the mean of the defined <see cref="Pairs"/> scores (null for a
    /// one-column table).</summary>
    public double? ColumnPairTrends { get; init; }

    /// <summary>The correlation coefficient of the numeric pairs.</summary>
    public CorrelationMethod CorrelationMethod { get; init; }

    /// <summary>The number of equal-width bins numeric columns are cut into for contingency tables with a categorical
    /// column (<see cref="HistogramBins"/>).</summary>
    public int Bins { get; init; }

    /// <summary>One score per column, in column order.</summary>
    public IReadOnlyList<ColumnShapeScore> Columns { get; init; } = [];

    /// <summary>One score per pair of columns (i &lt; j in column order).</summary>
    public IReadOnlyList<ColumnPairScore> Pairs { get; init; } = [];

    /// <summary>The distance-to-closest-record check (null when it was not asked for).</summary>
    public PrivacyResult? Privacy { get; init; }

    /// <summary>Wall-clock seconds of the whole computation.</summary>
    public double Seconds { get; init; }
}

/// <summary>The shape score of one column: KSComplement (numeric) or TVComplement (categorical).</summary>
public sealed record ColumnShapeScore
{
    /// <summary>The column's name.</summary>
    public string Column { get; init; } = "";

    /// <summary>Numeric or categorical.</summary>
    public QualityColumnKind Kind { get; init; }

    /// <summary>"KSComplement" or "TVComplement".</summary>
    public string Metric { get; init; } = "";

    /// <summary>The score, or null when a table has no observed value in the column.</summary>
    public double? Score { get; init; }

    /// <summary>The share of the real rows missing this column (left out of the score).</summary>
    public double RealMissing { get; init; }

    /// <summary>The share of the synthetic rows missing this column (left out of the score).</summary>
    public double SyntheticMissing { get; init; }

    /// <summary>Categories seen in the synthetic column but never in the real one (they count with a real share of 0).</summary>
    public IReadOnlyList<string> SyntheticOnlyCategories { get; init; } = [];

    /// <summary>Why the score is null, or null.</summary>
    public string? Note { get; init; }
}

/// <summary>The trend score of one pair of columns: CorrelationSimilarity (two numeric columns) or
/// ContingencySimilarity (otherwise, numeric columns binned).</summary>
public sealed record ColumnPairScore
{
    /// <summary>The first column (earlier in column order).</summary>
    public string Column1 { get; init; } = "";

    /// <summary>The second column.</summary>
    public string Column2 { get; init; } = "";

    /// <summary>"CorrelationSimilarity" or "ContingencySimilarity".</summary>
    public string Metric { get; init; } = "";

    /// <summary>The score, or null when undefined (see <see cref="Note"/>).</summary>
    public double? Score { get; init; }

    /// <summary>The real table's correlation (CorrelationSimilarity only; null when undefined).</summary>
    public double? RealCorrelation { get; init; }

    /// <summary>The synthetic table's correlation (CorrelationSimilarity only; null when undefined).</summary>
    public double? SyntheticCorrelation { get; init; }

    /// <summary>Why the score is null, or null.</summary>
    public string? Note { get; init; }
}

/// <summary>
/// The distance-to-closest-record check (<see cref="ClosestRecordDistance"/>): how close synthetic rows lie to the
/// training rows, against how close real rows the model never saw (the holdout) lie to them. A model that generalizes
/// makes rows no closer to the training rows than new real rows are; one that memorizes makes copies (DCR 0).
/// </summary>
public sealed record PrivacyResult
{
    /// <summary>Training rows (the reference of every distance; the numeric ranges come from them).</summary>
    public int TrainingRows { get; init; }

    /// <summary>Synthetic rows measured.</summary>
    public int SyntheticRows { get; init; }

    /// <summary>Holdout rows measured (0 without a holdout).</summary>
    public int HoldoutRows { get; init; }

    /// <summary>The median over the synthetic rows of the DCR to the training rows.</summary>
    public double? SyntheticMedianDcr { get; init; }

    /// <summary>The share of synthetic rows that equal a training row (DCR 0).</summary>
    public double? SyntheticExactMatches { get; init; }

    /// <summary>The median over the holdout rows of the DCR to the training rows (null without a holdout).</summary>
    public double? HoldoutMedianDcr { get; init; }

    /// <summary>The share of holdout rows that equal a training row (null without a holdout).</summary>
    public double? HoldoutExactMatches { get; init; }

    /// <summary>The share of synthetic rows closer to a training row than the median holdout row is (DCR below
    /// <see cref="HoldoutMedianDcr"/>); about 0.5 when synthetic rows are as new as real unseen ones, near 1 when they
    /// copy the training rows (null without a holdout).</summary>
    public double? CloserThanHoldoutMedian { get; init; }

    /// <summary>SDMetrics' DCROverfittingProtection: the share of synthetic rows strictly closer to the training rows
    /// than to the holdout rows (null without a holdout).</summary>
    public double? CloserToTraining { get; init; }

    /// <summary>SDMetrics' DCROverfittingProtection score, min(1, 2 (1 − <see cref="CloserToTraining"/>)); SDMetrics
    /// recommends a holdout at least half the size of the training set, a smaller one lowers the score by itself (null
    /// without a holdout).</summary>
    public double? OverfittingProtection { get; init; }

    /// <summary>Whether the synthetic rows look copied from the training rows (see <see cref="FlagReason"/>).</summary>
    public bool Flagged { get; init; }

    /// <summary>Why <see cref="Flagged"/> is set, or null.</summary>
    public string? FlagReason { get; init; }

    /// <summary>Wall-clock seconds of the distance computations.</summary>
    public double Seconds { get; init; }
}
