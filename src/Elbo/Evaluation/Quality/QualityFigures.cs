namespace Elbo.Evaluation.Quality;

/// <summary>
/// The pictures of a quality report as SVG text, each about one thing: <see cref="Histograms"/> (every column's
/// real-vs-synthetic distribution as small multiples) and <see cref="Correlations"/> (the numeric columns' correlation
/// matrices, real beside synthetic). Drawn with <see cref="Plotting.SvgWriter"/>, <see cref="Plotting.NiceTicks"/>
/// and <see cref="Plotting.Palette"/>; docs/quality.md says how to read them.
/// </summary>
public static class QualityFigures
{
    /// <summary>Categories shown per categorical column before the rest are summed into "other".</summary>
    public const int DefaultMaxCategories = 12;

    /// <summary>Panels per row of <see cref="Histograms"/>.</summary>
    public const int DefaultColumnsPerRow = 4;

    /// <summary>One panel per column of <paramref name="real"/> (class <c>panel</c>): the shares of the observed rows per
    /// bin, real beside synthetic, with the column's shape score and missing shares from <paramref name="scores"/> when
    /// given (the <see cref="QualityResult"/> of the same tables).</summary>
    /// <exception cref="ArgumentException">The tables' columns differ (as for <see cref="QualityReport.Compute"/>).</exception>
    public static string Histograms(QualityTable real, QualityTable synthetic, QualityResult? scores = null, string? title = null,
        int maxCategories = DefaultMaxCategories, int columnsPerRow = DefaultColumnsPerRow)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCategories, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(columnsPerRow, 1);
        var columns = AlignedColumn.Align(real, synthetic, null);
        return HistogramFigure.Svg(columns, scores?.Columns, maxCategories, columnsPerRow, title);
    }

    /// <summary>The real and synthetic correlation matrices of the numeric columns of <paramref name="result"/> as two
    /// heatmaps with one colour scale (classes <c>heatmap</c> and <c>colour-scale</c>); null when the tables have fewer
    /// than two numeric columns (there is no matrix to draw).</summary>
    public static string? Correlations(QualityResult result, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return CorrelationFigure.Svg(result, title);
    }
}
