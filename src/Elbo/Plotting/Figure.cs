namespace Elbo.Plotting;

/// <summary>
/// Lays panels out side by side in one SVG: an optional title across the top, the panels left to right, and one
/// legend on the right holding every panel's legend lines once (so panels that share categories or series share
/// it). The SVG has a white background, a viewBox and a matching width and height; text is at least 12 px.
/// </summary>
public static class Figure
{
    /// <summary>The default size of one panel, in pixels.</summary>
    public const double PanelWidth = 440, PanelHeight = 400;

    private const double TitleFont = 16, LegendFont = 12, LegendRow = 20, Margin = 10;

    /// <summary>Renders <paramref name="panels"/> as an SVG document.</summary>
    /// <param name="panels">One or more panels, drawn left to right.</param>
    /// <param name="title">The figure's title (none when null).</param>
    /// <param name="shareAxes">Give every panel the same x and y ranges (the union of their data).</param>
    /// <param name="panelWidth">Width of each panel in pixels.</param>
    /// <param name="panelHeight">Height of each panel in pixels.</param>
    /// <param name="legendTitle">A heading above the legend (none when null).</param>
    /// <param name="footnote">A line of small print under the panels (none when null).</param>
    public static string Svg(IReadOnlyList<Panel> panels, string? title = null, bool shareAxes = false, double panelWidth = PanelWidth,
        double panelHeight = PanelHeight, string? legendTitle = null, string? footnote = null)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("a figure needs at least one panel");
        if (!(panelWidth >= 120) || !(panelHeight >= 120)) throw new ArgumentException($"panels need at least 120 × 120 pixels, got {panelWidth} × {panelHeight}");

        var legend = new List<LegendEntry>();
        foreach (var p in panels)
            foreach (var e in p.Legend)
                if (!legend.Contains(e)) legend.Add(e);
        double legendWidth = 0;
        if (legend.Count > 0)
        {
            double text = legendTitle is null ? 0 : PlotFrame.TextWidth(legendTitle, LegendFont + 1);
            foreach (var e in legend) text = Math.Max(text, 34 + PlotFrame.TextWidth(e.Label, LegendFont));
            legendWidth = text + 2 * Margin;
        }
        double top = title is null ? Margin : TitleFont + 22;
        double legendHeight = (legend.Count + (legendTitle is null ? 0 : 1)) * LegendRow + 40;
        double bodyHeight = Math.Max(panelHeight, legendHeight);
        double bottom = footnote is null ? Margin : Margin + 18;
        double width = Margin + panels.Count * panelWidth + legendWidth + Margin;
        double height = top + bodyHeight + bottom;
        if (footnote is not null) width = Math.Max(width, PlotFrame.TextWidth(footnote, 12) + 2 * Margin);
        if (title is not null) width = Math.Max(width, PlotFrame.TextWidth(title, TitleFont) + 2 * Margin);

        var svg = new SvgWriter(width, height);
        svg.Element("rect", ("width", "100%"), ("height", "100%"), ("fill", "white"));
        if (title is not null)
            svg.Text(width / 2, TitleFont + 8, title, ("font-size", SvgWriter.Number(TitleFont)), ("font-weight", "bold"), ("text-anchor", "middle"), ("fill", "#111111"));

        DataBounds? shared = null;
        if (shareAxes)
            foreach (var p in panels)
                if (p.Bounds() is { } b) shared = shared is { } s ? s.Union(b) : b;
        for (int i = 0; i < panels.Count; i++)
        {
            var panel = panels[i];
            var bounds = (shareAxes ? shared : panel.Bounds()) ?? new DataBounds(0, 1, 0, 1);
            Ticks xt, yt;
            if (panel.EqualAxes)
            {
                xt = yt = NiceTicks.Compute(Math.Min(bounds.MinX, bounds.MinY), Math.Max(bounds.MaxX, bounds.MaxY), 6);
            }
            else
            {
                xt = NiceTicks.Compute(bounds.MinX, bounds.MaxX, 6, panel.IntegerX);
                yt = NiceTicks.Compute(bounds.MinY, bounds.MaxY, 6);
            }
            var frame = new PlotFrame(Margin + i * panelWidth, top, panelWidth, panelHeight, xt, yt, panel.Title, panel.XTitle, panel.YTitle, panel.EqualAxes);
            svg.Open("g", ("class", "panel"));
            frame.DrawGrid(svg);
            svg.Open("g", ("class", "data"));
            panel.Draw(svg, frame);
            svg.Close();
            frame.DrawAxes(svg);
            svg.Close();
        }

        if (legend.Count > 0) DrawLegend(svg, legend, legendTitle, Margin + panels.Count * panelWidth + Margin, top + 30);
        if (footnote is not null)
            svg.Text(Margin, height - Margin, footnote, ("font-size", "12"), ("fill", "#555555"));
        return svg.ToString();
    }

    private static void DrawLegend(SvgWriter svg, List<LegendEntry> entries, string? heading, double left, double top)
    {
        svg.Open("g", ("class", "legend"));
        double y = top;
        if (heading is not null)
        {
            svg.Text(left, y + 4, heading, ("font-size", SvgWriter.Number(LegendFont + 1)), ("font-weight", "bold"), ("fill", "#222222"));
            y += LegendRow;
        }
        foreach (var e in entries)
        {
            svg.Open("g", ("class", "entry"));
            if (e.Line)
            {
                if (e.Dashed) svg.Line(left, y, left + 24, y, e.Color, 2, "6 4");
                else svg.Line(left, y, left + 24, y, e.Color, 2);
            }
            svg.Open("g", ("fill", e.Color));
            svg.Circle(left + 12, y, e.Line ? 3 : 4.5);
            svg.Close();
            svg.Text(left + 32, y + LegendFont * 0.35, e.Label, ("font-size", SvgWriter.Number(LegendFont)), ("fill", "#222222"));
            svg.Close();
            y += LegendRow;
        }
        svg.Close();
    }
}
