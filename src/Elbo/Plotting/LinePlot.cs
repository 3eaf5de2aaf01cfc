namespace Elbo.Plotting;

/// <summary>Named series drawn as lines with a marker at every point, one legend line per series. Non-finite points
/// are left out.</summary>
public sealed class LinePlot : Panel
{
    private readonly List<(string Name, string Color, bool Dashed, double[] X, double[] Y)> _series = [];

    /// <summary>Adds a series: its name (the legend label), its points, its colour (default: the next
    /// <see cref="Palette"/> colour) and whether its line is dashed.</summary>
    public LinePlot Add(string name, double[] x, double[] y, string? color = null, bool dashed = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != y.Length) throw new ArgumentException($"series {name}: {x.Length} x values but {y.Length} y values");
        _series.Add((name, color ?? Palette.Color(_series.Count), dashed, x, y));
        return this;
    }

    /// <summary>The number of series.</summary>
    public int SeriesCount => _series.Count;

    /// <inheritdoc/>
    public override int PointCount
    {
        get
        {
            int n = 0;
            foreach (var s in _series) n += s.X.Length;
            return n;
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyList<LegendEntry> Legend => _series.Select(s => new LegendEntry(s.Name, s.Color, Line: true, s.Dashed)).ToList();

    internal override DataBounds? Bounds()
    {
        DataBounds? b = null;
        foreach (var s in _series) b = DataBounds.Of(s.X, s.Y, b);
        return b;
    }

    internal override void Draw(SvgWriter svg, PlotFrame frame)
    {
        foreach (var (name, color, dashed, xs, ys) in _series)
        {
            var px = new List<double>(xs.Length);
            var py = new List<double>(xs.Length);
            for (int i = 0; i < xs.Length; i++)
                if (double.IsFinite(xs[i]) && double.IsFinite(ys[i]))
                {
                    px.Add(frame.MapX(xs[i]));
                    py.Add(frame.MapY(ys[i]));
                }
            svg.Open("g", ("class", "series"));
            if (px.Count > 1)
            {
                if (dashed) svg.Polyline(px.ToArray(), py.ToArray(), ("fill", "none"), ("stroke", color), ("stroke-width", "2"), ("stroke-dasharray", "6 4"));
                else svg.Polyline(px.ToArray(), py.ToArray(), ("fill", "none"), ("stroke", color), ("stroke-width", "2"));
            }
            svg.Open("g", ("fill", color));
            double r = px.Count > 60 ? 2 : 3;
            for (int i = 0; i < px.Count; i++) svg.Circle(px[i], py[i], r);
            svg.Close();
            svg.Close();
        }
    }
}
