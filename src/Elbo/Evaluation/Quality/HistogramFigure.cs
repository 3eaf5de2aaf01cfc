using Elbo.Plotting;

namespace Elbo.Evaluation.Quality;

/// <summary>
/// Real-vs-synthetic histograms of every column as small multiples, one panel per column (SVG groups of class
/// <c>panel</c>), a grid of up to <c>columnsPerRow</c> panels a row, one legend. Each panel shows the share of the
/// observed rows per bin: real bars (Tableau blue) beside synthetic bars (orange). Numeric columns share
/// <see cref="NumericBins"/> equal-width bins over the range of both tables' observed values (widened to nice
/// tick values); categorical columns show
/// their most frequent categories in the real table (then in the synthetic one), the rest summed in one bar "other".
/// The panel title names the column and its shape score; a line under it gives the missing shares.
/// </summary>
internal static class HistogramFigure
{
    /// <summary>Bins of a numeric column's histogram.</summary>
    public const int NumericBins = 20;

    private const double CellWidth = 300, CellHeight = 230, Margin = 10, TitleFont = 16;
    private const double AreaLeft = 46, AreaRight = 12, AreaTop = 44, AreaBottom = 50;

    public static string Svg(AlignedColumn[] columns, IReadOnlyList<ColumnShapeScore>? scores, int maxCategories, int columnsPerRow, string? title)
    {
        int perRow = Math.Min(columnsPerRow, columns.Length);
        int rows = (columns.Length + perRow - 1) / perRow;
        double top = title is null ? Margin + 24 : TitleFont + 34;
        double width = 2 * Margin + perRow * CellWidth, height = top + rows * CellHeight + Margin;
        if (title is not null) width = Math.Max(width, PlotFrame.TextWidth(title, TitleFont) + 2 * Margin);
        var svg = new SvgWriter(width, height);
        svg.Element("rect", ("width", "100%"), ("height", "100%"), ("fill", "white"));
        if (title is not null)
            svg.Text(width / 2, TitleFont + 8, title, ("font-size", SvgWriter.Number(TitleFont)), ("font-weight", "bold"), ("text-anchor", "middle"), ("fill", "#111111"));
        DrawLegend(svg, width - Margin - 190, top - 16);
        for (int i = 0; i < columns.Length; i++)
        {
            double left = Margin + i % perRow * CellWidth, cellTop = top + i / perRow * CellHeight;
            var score = scores?.FirstOrDefault(s => s.Column == columns[i].Name);
            var (labels, realShares, syntheticShares, numericTicks) = columns[i].Kind == QualityColumnKind.Numeric
                ? NumericBars(columns[i])
                : CategoricalBars(columns[i], maxCategories);
            DrawPanel(svg, left, cellTop, columns[i], score, labels, realShares, syntheticShares, numericTicks);
        }
        return svg.ToString();
    }

    // Shares of the observed rows in NumericBins equal-width bins over both tables' observed range; the x ticks.
    private static (string[]? Labels, double[] Real, double[] Synthetic, (Ticks Ticks, double Min, double Max)? X) NumericBars(AlignedColumn c)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var values in new[] { c.RealValues!, c.SyntheticValues! })
            foreach (double v in values)
                if (!double.IsNaN(v))
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
        if (min > max) return (null, new double[NumericBins], new double[NumericBins], null);
        if (min == max) (min, max) = (min - 0.5, max + 0.5);
        // The bins span the axis's nice range, so every tick lies on the plot and the bins start at a tick.
        var ticks = NiceTicks.Compute(min, max, 5);
        (min, max) = (ticks.Min, ticks.Max);
        double[] Shares(double[] values)
        {
            var s = new double[NumericBins];
            int n = 0;
            foreach (double v in values)
            {
                if (double.IsNaN(v)) continue;
                int b = Math.Min(NumericBins - 1, (int)((v - min) / (max - min) * NumericBins));
                s[b]++;
                n++;
            }
            if (n > 0)
                for (int b = 0; b < NumericBins; b++) s[b] /= n;
            return s;
        }
        return (null, Shares(c.RealValues!), Shares(c.SyntheticValues!), (ticks, min, max));
    }

    // Shares of the observed rows of the top categories (by real count, then synthetic), the rest as "other".
    private static (string[]? Labels, double[] Real, double[] Synthetic, (Ticks, double, double)? X) CategoricalBars(AlignedColumn c, int maxCategories)
    {
        int k = c.Categories.Count;
        var real = TvComplement.Frequencies(c.RealCodes, k) ?? new double[k];
        var synthetic = TvComplement.Frequencies(c.SyntheticCodes, k) ?? new double[k];
        var order = Enumerable.Range(0, k).Where(i => real[i] > 0 || synthetic[i] > 0)
            .OrderByDescending(i => real[i]).ThenByDescending(i => synthetic[i]).ThenBy(i => i).ToList();
        int shown = order.Count <= maxCategories ? order.Count : maxCategories - 1;
        var labels = order.Take(shown).Select(i => c.Categories[i]).ToList();
        var r = order.Take(shown).Select(i => real[i]).ToList();
        var s = order.Take(shown).Select(i => synthetic[i]).ToList();
        if (shown < order.Count)
        {
            labels.Add($"other ({order.Count - shown})");
            r.Add(order.Skip(shown).Sum(i => real[i]));
            s.Add(order.Skip(shown).Sum(i => synthetic[i]));
        }
        return (labels.ToArray(), r.ToArray(), s.ToArray(), null);
    }

    private static void DrawPanel(SvgWriter svg, double left, double top, AlignedColumn c, ColumnShapeScore? score, string[]? labels,
        double[] real, double[] synthetic, (Ticks Ticks, double Min, double Max)? x)
    {
        double areaLeft = left + AreaLeft, areaTop = top + AreaTop;
        double areaWidth = CellWidth - AreaLeft - AreaRight, areaHeight = CellHeight - AreaTop - AreaBottom;
        double peak = Math.Max(real.DefaultIfEmpty(0).Max(), synthetic.DefaultIfEmpty(0).Max());
        var y = NiceTicks.Compute(0, peak > 0 ? peak : 1, 4);
        double MapY(double v) => areaTop + areaHeight - (v - y.Min) / (y.Max - y.Min) * areaHeight;

        svg.Open("g", ("class", "panel"));
        string heading = score?.Score is { } sc ? $"{c.Name} — {score.Metric} {sc:0.000}" : c.Name;
        svg.Text(left + CellWidth / 2, top + 16, Fit(heading, CellWidth - 10, 13), ("font-size", "13"), ("font-weight", "bold"), ("text-anchor", "middle"), ("fill", "#222222"));
        if (score is not null)
            svg.Text(left + CellWidth / 2, top + 31, $"missing: real {score.RealMissing:P0}, synthetic {score.SyntheticMissing:P0}",
                ("font-size", "12"), ("text-anchor", "middle"), ("fill", "#555555"));

        svg.Open("g", ("class", "grid"));
        foreach (double v in y.Values) svg.Line(areaLeft, MapY(v), areaLeft + areaWidth, MapY(v), "#e6e6e6");
        svg.Close();

        int bins = real.Length;
        double slot = bins == 0 ? areaWidth : areaWidth / bins;
        double bar = labels is null ? slot / 2 : slot * 0.4;
        double offset = labels is null ? 0 : slot * 0.1;
        for (int series = 0; series < 2; series++)
        {
            var shares = series == 0 ? real : synthetic;
            svg.Open("g", ("class", series == 0 ? "real" : "synthetic"), ("fill", Palette.Color(series)), ("fill-opacity", "0.85"));
            for (int b = 0; b < bins; b++)
            {
                if (shares[b] <= 0) continue;
                double bx = areaLeft + b * slot + offset + series * bar, by = MapY(shares[b]);
                svg.Element("rect", ("x", SvgWriter.Number(bx)), ("y", SvgWriter.Number(by)), ("width", SvgWriter.Number(bar, 2)),
                    ("height", SvgWriter.Number(areaTop + areaHeight - by)));
            }
            svg.Close();
        }

        svg.Open("g", ("class", "axes"));
        svg.Element("rect", ("x", SvgWriter.Number(areaLeft)), ("y", SvgWriter.Number(areaTop)), ("width", SvgWriter.Number(areaWidth)),
            ("height", SvgWriter.Number(areaHeight)), ("fill", "none"), ("stroke", "#666666"));
        foreach (double v in y.Values)
            svg.Text(areaLeft - 4, MapY(v) + 4, y.Label(v), ("font-size", "12"), ("text-anchor", "end"), ("fill", "#333333"));
        double bottom = areaTop + areaHeight;
        if (x is { } xt)
        {
            foreach (double v in xt.Ticks.Values)
            {
                if (v < xt.Min - 1e-9 * (xt.Max - xt.Min) || v > xt.Max + 1e-9 * (xt.Max - xt.Min)) continue;
                double px = areaLeft + (v - xt.Min) / (xt.Max - xt.Min) * areaWidth;
                svg.Line(px, bottom, px, bottom + 4, "#666666");
                svg.Text(px, bottom + 16, xt.Ticks.Label(v), ("font-size", "12"), ("text-anchor", "middle"), ("fill", "#333333"));
            }
        }
        else if (labels is { Length: > 0 })
        {
            for (int b = 0; b < labels.Length; b++)
            {
                double px = areaLeft + (b + 0.5) * slot, py = bottom + 10;
                svg.Text(px, py, Fit(labels[b], 80, 12), ("font-size", "12"), ("text-anchor", "end"), ("fill", "#333333"),
                    ("transform", $"rotate(-35 {SvgWriter.Number(px)} {SvgWriter.Number(py)})"));
            }
        }
        else
        {
            svg.Text(areaLeft + areaWidth / 2, areaTop + areaHeight / 2, "no observed values", ("font-size", "12"), ("text-anchor", "middle"), ("fill", "#555555"));
        }
        svg.Close();
        svg.Close();
    }

    private static void DrawLegend(SvgWriter svg, double left, double y)
    {
        svg.Open("g", ("class", "legend"));
        for (int series = 0; series < 2; series++)
        {
            double x = left + series * 95;
            svg.Open("g", ("class", "entry"));
            svg.Element("rect", ("x", SvgWriter.Number(x)), ("y", SvgWriter.Number(y - 6)), ("width", "14"), ("height", "12"), ("fill", Palette.Color(series)));
            svg.Text(x + 20, y + 4, series == 0 ? "Real" : "Synthetic", ("font-size", "12"), ("fill", "#222222"));
            svg.Close();
        }
        svg.Close();
    }

    /// <summary><paramref name="text"/> shortened with an ellipsis to about <paramref name="width"/> pixels.</summary>
    internal static string Fit(string text, double width, double size)
    {
        int max = Math.Max(3, (int)(width / (size * 0.6)));
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }
}
