namespace Elbo.Plotting;

/// <summary>
/// Points coloured by category, one legend line per category. Points are small semi-transparent circles, so dense
/// regions read darker and 5000+ points stay legible; each category is one SVG group holding only the circles'
/// positions (about 35 bytes a point). Categories are drawn in the order they were added, later ones on top.
/// </summary>
public sealed class ScatterPlot : Panel
{
    private readonly List<(string Name, string Color, double[] X, double[] Y)> _groups = [];

    /// <summary>The circles' radius in pixels (default: by the number of points, 3.2 down to 1.8).</summary>
    public double? PointRadius { get; init; }

    /// <summary>The circles' fill opacity (default: by the number of points, 0.8 down to 0.5).</summary>
    public double? Opacity { get; init; }

    /// <summary>Adds a category: its name (the legend label), its points, and its colour (default: the next
    /// <see cref="Palette"/> colour).</summary>
    public ScatterPlot Add(string name, double[] x, double[] y, string? color = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != y.Length) throw new ArgumentException($"scatter category {name}: {x.Length} x values but {y.Length} y values");
        _groups.Add((name, color ?? Palette.Color(_groups.Count), x, y));
        return this;
    }

    /// <summary>A scatter of (x[i], y[i]) with one category per distinct label, in increasing label order, named by
    /// <paramref name="name"/> and coloured by the label's rank (so the same labels get the same colours across plots).</summary>
    public static ScatterPlot ByLabel(double[] x, double[] y, int[] labels, Func<int, string> name, string? title = null, string? xTitle = null,
        string? yTitle = null, bool equalAxes = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(name);
        if (x.Length != y.Length || x.Length != labels.Length)
            throw new ArgumentException($"a scatter needs as many x, y and labels, got {x.Length}, {y.Length} and {labels.Length}");
        var plot = new ScatterPlot { Title = title, XTitle = xTitle, YTitle = yTitle, EqualAxes = equalAxes };
        var distinct = labels.Distinct().Order().ToArray();
        var counts = new Dictionary<int, int>();
        foreach (int l in labels) counts[l] = counts.GetValueOrDefault(l) + 1;
        var xs = distinct.ToDictionary(l => l, l => new double[counts[l]]);
        var ys = distinct.ToDictionary(l => l, l => new double[counts[l]]);
        var fill = distinct.ToDictionary(l => l, _ => 0);
        for (int i = 0; i < labels.Length; i++)
        {
            int l = labels[i], k = fill[l]++;
            xs[l][k] = x[i];
            ys[l][k] = y[i];
        }
        int colour = 0;
        foreach (int l in distinct)
            plot.Add(name(l), xs[l], ys[l], l < 0 ? Palette.Neutral : Palette.Color(colour++));
        return plot;
    }

    /// <summary>The number of categories.</summary>
    public int CategoryCount => _groups.Count;

    /// <summary>The categories in drawing order: name, colour and points.</summary>
    public IReadOnlyList<(string Name, string Color, double[] X, double[] Y)> Groups => _groups;

    /// <inheritdoc/>
    public override int PointCount
    {
        get
        {
            int n = 0;
            foreach (var g in _groups) n += g.X.Length;
            return n;
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyList<LegendEntry> Legend => _groups.Select(g => new LegendEntry(g.Name, g.Color)).ToList();

    internal override DataBounds? Bounds()
    {
        DataBounds? b = null;
        foreach (var g in _groups) b = DataBounds.Of(g.X, g.Y, b);
        return b;
    }

    internal override void Draw(SvgWriter svg, PlotFrame frame)
    {
        int n = PointCount;
        double r = PointRadius ?? (n > 3000 ? 1.8 : n > 500 ? 2.4 : 3.2);
        double opacity = Opacity ?? (n > 3000 ? 0.5 : n > 500 ? 0.65 : 0.8);
        foreach (var (name, color, xs, ys) in _groups)
        {
            svg.Open("g", ("class", "points"), ("fill", color), ("fill-opacity", SvgWriter.Number(opacity, 2)));
            for (int i = 0; i < xs.Length; i++)
                if (double.IsFinite(xs[i]) && double.IsFinite(ys[i])) svg.Circle(frame.MapX(xs[i]), frame.MapY(ys[i]), r);
            svg.Close();
        }
    }
}
