using System.Globalization;

namespace Elbo.Plotting;

/// <summary>The ticks of one axis: the axis runs from <see cref="Min"/> to <see cref="Max"/> (both ticks), every
/// <see cref="Step"/>; made by <see cref="NiceTicks.Compute"/>.</summary>
public sealed class Ticks
{
    private readonly int _decimals;
    private readonly string? _scientific;

    internal Ticks(double min, double max, double step, double[] values)
    {
        Min = min;
        Max = max;
        Step = step;
        Values = values;
        // Heckbert: as many decimals as the step needs; very large or very small numbers in scientific notation with
        // as many significant digits as tell the ticks apart.
        _decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        double largest = Math.Max(Math.Abs(min), Math.Abs(max));
        if (largest >= 1e6 || _decimals > 4)
        {
            int digits = Math.Clamp((int)Math.Floor(Math.Log10(largest) + 1e-9) - (int)Math.Floor(Math.Log10(step) + 1e-9), 0, 15);
            _scientific = digits == 0 ? "0E+0" : "0." + new string('#', digits) + "E+0";
        }
    }

    /// <summary>The lowest tick, where the axis starts (at or below the data's minimum).</summary>
    public double Min { get; }

    /// <summary>The highest tick, where the axis ends (at or above the data's maximum).</summary>
    public double Max { get; }

    /// <summary>The distance between ticks: 1, 2 or 5 times a power of ten.</summary>
    public double Step { get; }

    /// <summary>The tick values from <see cref="Min"/> to <see cref="Max"/>.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>The label of tick value <paramref name="value"/>: invariant culture with the step's decimals (e.g. 0.25
    /// steps of 0.05 → "0.25", and 0 as "0.00" among them), or scientific notation ("1.5E-9") for very large or very small
    /// numbers; never a negative zero.</summary>
    public string Label(double value)
    {
        if (Math.Abs(value) < Step * 1e-9)
        {
            if (_scientific is not null) return "0";
            value = 0; // never "-0.0"
        }
        return _scientific is not null
            ? value.ToString(_scientific, CultureInfo.InvariantCulture)
            : value.ToString("F" + _decimals, CultureInfo.InvariantCulture);
    }
}
