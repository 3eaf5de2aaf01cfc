namespace Elbo.Plotting;

/// <summary>
/// "Nice" axis ticks after Heckbert's <i>Nice numbers for graph labels</i> (Graphics Gems, 1990): the step is 1, 2 or
/// 5 times a power of ten, and the axis is widened to whole steps around the data ("loose" labelling), so every data
/// value lies on the axis and every tick has a short label.
/// </summary>
public static class NiceTicks
{
    /// <summary>The nice number near <paramref name="x"/> (&gt; 0): 1, 2, 5 or 10 times a power of ten. Rounded
    /// (<paramref name="round"/> true: 1 below 1.5, 2 below 3, 5 below 7, else 10) or the next one up (the ceiling).</summary>
    public static double NiceNumber(double x, bool round)
    {
        if (!(x > 0) || double.IsInfinity(x)) throw new ArgumentOutOfRangeException(nameof(x), x, "a nice number needs a positive finite value");
        double exponent = Math.Floor(Math.Log10(x));
        double power = Math.Pow(10, exponent);
        double fraction = x / power;
        double nice = round
            ? fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
            : fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    /// <summary>About <paramref name="target"/> ticks covering [<paramref name="min"/>, <paramref name="max"/>]. A
    /// single value (min == max) gets an axis around it (±10 % of it, or ±1 for 0 or for integer axes); with
    /// <paramref name="integer"/> the step is at least 1 (for counts such as epochs).</summary>
    /// <exception cref="ArgumentException">A bound is NaN or infinite, or <paramref name="target"/> is below 2.</exception>
    public static Ticks Compute(double min, double max, int target = 5, bool integer = false)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) throw new ArgumentException($"axis bounds must be finite, got [{min}, {max}]");
        ArgumentOutOfRangeException.ThrowIfLessThan(target, 2);
        if (max < min) (min, max) = (max, min);
        if (max - min <= Math.Max(Math.Abs(min), Math.Abs(max)) * 1e-12)
        {
            double half = integer || min == 0 ? 1 : Math.Abs(min) * 0.1;
            min -= half;
            max += half;
        }
        double range = NiceNumber(max - min, round: false);
        double step = NiceNumber(range / (target - 1), round: true);
        if (integer && step < 1) step = 1;
        double first = Math.Floor(min / step), last = Math.Ceiling(max / step);
        int count = (int)Math.Min(last - first + 1, 1000);
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = (first + i) * step;
        return new Ticks(values[0], values[^1], step, values);
    }
}
