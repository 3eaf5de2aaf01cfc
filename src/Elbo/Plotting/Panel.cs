namespace Elbo.Plotting;

/// <summary>One plot of a <see cref="Figure"/>: a title, two axes with titles, and the data it draws. Subclasses are
/// <see cref="ScatterPlot"/> and <see cref="LinePlot"/>.</summary>
public abstract class Panel
{
    /// <summary>The title above the plot (none when null).</summary>
    public string? Title { get; init; }

    /// <summary>The x axis title (none when null).</summary>
    public string? XTitle { get; init; }

    /// <summary>The y axis title (none when null).</summary>
    public string? YTitle { get; init; }

    /// <summary>Whether both axes share one range and the plot area is square, so distances read the same in x and y
    /// (a circle looks round).</summary>
    public bool EqualAxes { get; init; }

    /// <summary>Whether x ticks are whole numbers (epochs, counts).</summary>
    public bool IntegerX { get; init; }

    /// <summary>The number of data points the panel draws.</summary>
    public abstract int PointCount { get; }

    /// <summary>The legend lines this panel contributes, one per category or series.</summary>
    public abstract IReadOnlyList<LegendEntry> Legend { get; }

    /// <summary>The extent of the finite data, or null when there is none.</summary>
    internal abstract DataBounds? Bounds();

    /// <summary>Draws the data inside <paramref name="frame"/>'s plot area.</summary>
    internal abstract void Draw(SvgWriter svg, PlotFrame frame);
}

/// <summary>The extent of a panel's data.</summary>
internal readonly record struct DataBounds(double MinX, double MaxX, double MinY, double MaxY)
{
    public DataBounds Union(DataBounds o) =>
        new(Math.Min(MinX, o.MinX), Math.Max(MaxX, o.MaxX), Math.Min(MinY, o.MinY), Math.Max(MaxY, o.MaxY));

    /// <summary>Extends the bounds over the finite values of (xs, ys); null stays null when there are none.</summary>
    public static DataBounds? Of(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, DataBounds? start = null)
    {
        double minX = double.PositiveInfinity, maxX = double.NegativeInfinity, minY = double.PositiveInfinity, maxY = double.NegativeInfinity;
        if (start is { } s) (minX, maxX, minY, maxY) = (s.MinX, s.MaxX, s.MinY, s.MaxY);
        for (int i = 0; i < xs.Length; i++)
        {
            double x = xs[i], y = ys[i];
            if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
            if (x < minX) minX = x;
            if (x > maxX) maxX = x;
            if (y < minY) minY = y;
            if (y > maxY) maxY = y;
        }
        return minX <= maxX ? new DataBounds(minX, maxX, minY, maxY) : null;
    }
}
