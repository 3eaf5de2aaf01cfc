using Elbo.Plotting;

namespace Elbo.Evaluation.Quality;

/// <summary>
/// The correlation matrices of the numeric columns of the real and the synthetic table as two heatmaps side by side
/// (SVG groups of class <c>heatmap</c>), with one colour scale (class <c>colour-scale</c>): −1 blue, 0 white, +1 red
/// (the ends of Tableau's blue and red), grey where a correlation is undefined (a constant column). The values are
/// those of the Column Pair Trends property (<see cref="ColumnPairScore.RealCorrelation"/> and
/// <see cref="ColumnPairScore.SyntheticCorrelation"/>: Pearson's or Spearman's as the report used, over rows where
/// both values are observed); the diagonal is 1. Categorical columns are not shown: SDMetrics compares them by
/// contingency tables, which have no signed coefficient to put on this scale. Cells carry their value as text up to 12
/// columns.
/// </summary>
internal static class CorrelationFigure
{
    private const double Margin = 10, TitleFont = 16, PanelTitleFont = 14, MaxCell = 48, MinCell = 12, MatrixSide = 420;
    private const string Negative = "#4e79a7", Positive = "#e15759", Undefined = "#d9d9d9";

    public static string? Svg(QualityResult result, string? title)
    {
        var names = result.Columns.Where(c => c.Kind == QualityColumnKind.Numeric).Select(c => c.Column).ToArray();
        if (names.Length < 2) return null;
        int n = names.Length;
        var index = names.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        var real = Matrix(n);
        var synthetic = Matrix(n);
        foreach (var p in result.Pairs)
        {
            if (p.Metric != QualityReport.CorrelationSimilarityName) continue;
            int i = index[p.Column1], j = index[p.Column2];
            real[i, j] = real[j, i] = p.RealCorrelation ?? double.NaN;
            synthetic[i, j] = synthetic[j, i] = p.SyntheticCorrelation ?? double.NaN;
        }

        double cell = Math.Clamp(MatrixSide / n, MinCell, MaxCell), side = cell * n;
        double labelFont = Math.Min(12, Math.Max(12, cell * 0.5));
        double label = Math.Min(140, names.Max(s => PlotFrame.TextWidth(s, labelFont))) + 8;
        double top = (title is null ? Margin : TitleFont + 22) + PanelTitleFont + 14 + label;
        double scaleWidth = 70;
        double width = Margin + 2 * (label + side + 2 * Margin) + scaleWidth + Margin;
        double height = top + side + Margin + 10;
        if (title is not null) width = Math.Max(width, PlotFrame.TextWidth(title, TitleFont) + 2 * Margin);
        var svg = new SvgWriter(width, height);
        svg.Element("rect", ("width", "100%"), ("height", "100%"), ("fill", "white"));
        if (title is not null)
            svg.Text(width / 2, TitleFont + 8, title, ("font-size", SvgWriter.Number(TitleFont)), ("font-weight", "bold"), ("text-anchor", "middle"), ("fill", "#111111"));
        string method = result.CorrelationMethod == CorrelationMethod.Spearman ? "Spearman" : "Pearson";
        double left = Margin + label;
        DrawMatrix(svg, left, top, cell, names, real, $"Real ({method})", labelFont, n <= 12);
        left += side + 2 * Margin + label;
        DrawMatrix(svg, left, top, cell, names, synthetic, $"Synthetic ({method})", labelFont, n <= 12);
        DrawScale(svg, left + side + 2 * Margin, top, Math.Max(side, 120));
        return svg.ToString();
    }

    private static double[,] Matrix(int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) m[i, j] = i == j ? 1 : double.NaN;
        return m;
    }

    private static void DrawMatrix(SvgWriter svg, double left, double top, double cell, string[] names, double[,] m, string heading,
        double labelFont, bool values)
    {
        int n = names.Length;
        svg.Open("g", ("class", "heatmap"));
        double headingY = top - 8 - names.Max(s => Math.Min(140, PlotFrame.TextWidth(s, labelFont))) * 0.75 - 10;
        svg.Text(left + n * cell / 2, headingY, heading, ("font-size", SvgWriter.Number(PanelTitleFont)), ("font-weight", "bold"),
            ("text-anchor", "middle"), ("fill", "#222222"));
        for (int i = 0; i < n; i++)
        {
            string name = HistogramFigure.Fit(names[i], 140, labelFont);
            svg.Text(left - 6, top + (i + 0.5) * cell + labelFont * 0.35, name, ("font-size", SvgWriter.Number(labelFont)), ("text-anchor", "end"), ("fill", "#333333"));
            double px = left + (i + 0.5) * cell + labelFont * 0.35, py = top - 6;
            svg.Text(px, py, name, ("font-size", SvgWriter.Number(labelFont)), ("text-anchor", "start"), ("fill", "#333333"),
                ("transform", $"rotate(-45 {SvgWriter.Number(px)} {SvgWriter.Number(py)})"));
        }
        svg.Open("g", ("class", "cells"));
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double v = m[i, j];
                svg.Element("rect", ("x", SvgWriter.Number(left + j * cell)), ("y", SvgWriter.Number(top + i * cell)), ("width", SvgWriter.Number(cell, 2)),
                    ("height", SvgWriter.Number(cell, 2)), ("fill", Colour(v)));
                if (values && !double.IsNaN(v))
                    svg.Text(left + (j + 0.5) * cell, top + (i + 0.5) * cell + 4, v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                        ("font-size", "12"), ("text-anchor", "middle"), ("fill", Math.Abs(v) > 0.6 ? "#ffffff" : "#222222"));
            }
        svg.Close();
        svg.Element("rect", ("x", SvgWriter.Number(left)), ("y", SvgWriter.Number(top)), ("width", SvgWriter.Number(n * cell)),
            ("height", SvgWriter.Number(n * cell)), ("fill", "none"), ("stroke", "#666666"));
        svg.Close();
    }

    private static void DrawScale(SvgWriter svg, double left, double top, double height)
    {
        const int steps = 40;
        svg.Open("g", ("class", "colour-scale"));
        for (int k = 0; k < steps; k++)
        {
            double v = 1 - 2.0 * (k + 0.5) / steps;
            svg.Element("rect", ("x", SvgWriter.Number(left)), ("y", SvgWriter.Number(top + k * height / steps)), ("width", "16"),
                ("height", SvgWriter.Number(height / steps + 0.5)), ("fill", Colour(v)));
        }
        svg.Element("rect", ("x", SvgWriter.Number(left)), ("y", SvgWriter.Number(top)), ("width", "16"), ("height", SvgWriter.Number(height)),
            ("fill", "none"), ("stroke", "#666666"));
        foreach (double v in new[] { 1, 0.5, 0, -0.5, -1 })
        {
            double y = top + (1 - v) / 2 * height;
            svg.Line(left + 16, y, left + 20, y, "#666666");
            svg.Text(left + 23, y + 4, v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), ("font-size", "12"), ("fill", "#333333"));
        }
        svg.Close();
    }

    /// <summary>The colour of correlation <paramref name="v"/>: white at 0 blended linearly to blue at −1 and red at +1;
    /// grey for NaN.</summary>
    internal static string Colour(double v)
    {
        if (double.IsNaN(v)) return Undefined;
        v = Math.Clamp(v, -1, 1);
        string end = v < 0 ? Negative : Positive;
        double t = Math.Abs(v);
        int Channel(int at) => (int)Math.Round(255 + (Convert.ToInt32(end.Substring(at, 2), 16) - 255) * t);
        return $"#{Channel(1):x2}{Channel(3):x2}{Channel(5):x2}";
    }
}
