namespace Elbo.Plotting;

/// <summary>
/// A panel's geometry: its outer box in the figure, the plot area inside it (room left for tick labels, axis titles
/// and the panel title), the ticks of both axes, and the mapping from data to figure coordinates (y grows upwards
/// in data, downwards in SVG). Draws the grid, frame, ticks, labels and titles.
/// </summary>
internal sealed class PlotFrame
{
    internal const double TickFont = 12, AxisTitleFont = 13, TitleFont = 14;
    private const double TickLength = 5, Gap = 6;

    public PlotFrame(double left, double top, double width, double height, Ticks x, Ticks y, string? title, string? xTitle, string? yTitle, bool square)
    {
        X = x;
        Y = y;
        Title = title;
        XTitle = xTitle;
        YTitle = yTitle;
        double labelWidth = 0;
        foreach (double v in y.Values) labelWidth = Math.Max(labelWidth, TextWidth(y.Label(v), TickFont));
        double marginLeft = 8 + (yTitle is null ? 0 : AxisTitleFont + Gap) + labelWidth + Gap + TickLength;
        double marginTop = title is null ? 12 : TitleFont + 18;
        double marginBottom = TickLength + Gap + TickFont + (xTitle is null ? 8 : Gap + AxisTitleFont + 12);
        // Half of the last x label may stick out to the right of the plot area.
        double marginRight = Math.Max(14, TextWidth(x.Label(x.Max), TickFont) / 2 + 6);
        OuterLeft = left;
        OuterTop = top;
        OuterWidth = width;
        OuterHeight = height;
        AreaLeft = left + marginLeft;
        AreaTop = top + marginTop;
        AreaWidth = Math.Max(20, width - marginLeft - marginRight);
        AreaHeight = Math.Max(20, height - marginTop - marginBottom);
        if (square)
        {
            double side = Math.Min(AreaWidth, AreaHeight);
            AreaLeft += (AreaWidth - side) / 2;
            AreaTop += (AreaHeight - side) / 2;
            AreaWidth = AreaHeight = side;
        }
    }

    public Ticks X { get; }
    public Ticks Y { get; }
    public string? Title { get; }
    public string? XTitle { get; }
    public string? YTitle { get; }
    public double OuterLeft { get; }
    public double OuterTop { get; }
    public double OuterWidth { get; }
    public double OuterHeight { get; }
    public double AreaLeft { get; }
    public double AreaTop { get; }
    public double AreaWidth { get; }
    public double AreaHeight { get; }

    /// <summary>The figure x coordinate of data value <paramref name="x"/>.</summary>
    public double MapX(double x) => AreaLeft + (x - X.Min) / (X.Max - X.Min) * AreaWidth;

    /// <summary>The figure y coordinate of data value <paramref name="y"/>.</summary>
    public double MapY(double y) => AreaTop + AreaHeight - (y - Y.Min) / (Y.Max - Y.Min) * AreaHeight;

    /// <summary>An estimate of the width of <paramref name="text"/> in a sans-serif font of <paramref name="size"/> px.</summary>
    public static double TextWidth(string text, double size) => text.Length * size * 0.6;

    /// <summary>The grid lines under the data.</summary>
    public void DrawGrid(SvgWriter svg)
    {
        double right = AreaLeft + AreaWidth, bottom = AreaTop + AreaHeight;
        svg.Open("g", ("class", "grid"));
        foreach (double v in X.Values)
        {
            double px = MapX(v);
            svg.Line(px, AreaTop, px, bottom, "#e6e6e6");
        }
        foreach (double v in Y.Values)
        {
            double py = MapY(v);
            svg.Line(AreaLeft, py, right, py, "#e6e6e6");
        }
        svg.Close();
    }

    /// <summary>The frame, ticks, tick labels, axis titles and panel title over the data.</summary>
    public void DrawAxes(SvgWriter svg)
    {
        double bottom = AreaTop + AreaHeight;
        svg.Open("g", ("class", "axes"));
        svg.Element("rect", ("x", SvgWriter.Number(AreaLeft)), ("y", SvgWriter.Number(AreaTop)), ("width", SvgWriter.Number(AreaWidth)),
            ("height", SvgWriter.Number(AreaHeight)), ("fill", "none"), ("stroke", "#666666"));
        foreach (double v in X.Values)
        {
            double px = MapX(v);
            svg.Line(px, bottom, px, bottom + TickLength, "#666666");
            svg.Text(px, bottom + TickLength + Gap + TickFont * 0.8, X.Label(v), ("font-size", SvgWriter.Number(TickFont)), ("text-anchor", "middle"), ("fill", "#333333"));
        }
        foreach (double v in Y.Values)
        {
            double py = MapY(v);
            svg.Line(AreaLeft - TickLength, py, AreaLeft, py, "#666666");
            svg.Text(AreaLeft - TickLength - Gap, py + TickFont * 0.35, Y.Label(v), ("font-size", SvgWriter.Number(TickFont)), ("text-anchor", "end"), ("fill", "#333333"));
        }
        if (XTitle is not null)
            svg.Text(AreaLeft + AreaWidth / 2, bottom + TickLength + Gap + TickFont + Gap + AxisTitleFont * 0.8, XTitle,
                ("font-size", SvgWriter.Number(AxisTitleFont)), ("text-anchor", "middle"), ("fill", "#222222"));
        if (YTitle is not null)
        {
            double tx = OuterLeft + 8 + AxisTitleFont * 0.8, ty = AreaTop + AreaHeight / 2;
            svg.Text(tx, ty, YTitle, ("font-size", SvgWriter.Number(AxisTitleFont)), ("text-anchor", "middle"), ("fill", "#222222"),
                ("transform", $"rotate(-90 {SvgWriter.Number(tx)} {SvgWriter.Number(ty)})"));
        }
        if (Title is not null)
            svg.Text(AreaLeft + AreaWidth / 2, OuterTop + TitleFont + 4, Title, ("font-size", SvgWriter.Number(TitleFont)),
                ("font-weight", "bold"), ("text-anchor", "middle"), ("fill", "#222222"));
        svg.Close();
    }
}
