using System.Globalization;
using Elbo.Plotting;

namespace Elbo.Tests.Plotting;

public class NiceTicksTests
{
    [Fact]
    public void NiceNumberRoundsOrCeilsToOneTwoFive()
    {
        Assert.Equal(1, NiceTicks.NiceNumber(1.4, round: true));
        Assert.Equal(2, NiceTicks.NiceNumber(1.6, round: true));
        Assert.Equal(5, NiceTicks.NiceNumber(4, round: true));
        Assert.Equal(10, NiceTicks.NiceNumber(7.5, round: true));
        Assert.Equal(2, NiceTicks.NiceNumber(1.2, round: false));
        Assert.Equal(5, NiceTicks.NiceNumber(2.1, round: false));
        Assert.Equal(0.05, NiceTicks.NiceNumber(0.031, round: false), 15);
        Assert.Equal(2000, NiceTicks.NiceNumber(1733, round: true));
    }

    [Fact]
    public void UnitRangeGetsStepsOfPointTwo()
    {
        var t = NiceTicks.Compute(0, 1, 6);
        Assert.Equal(0.2, t.Step, 15);
        Assert.Equal(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"], t.Values.Select(t.Label));
    }

    [Theory]
    [InlineData(-3.7, 12.2)]
    [InlineData(0.0013, 0.0171)]
    [InlineData(-250, -10)]
    [InlineData(1e-9, 3.4e-9)]
    [InlineData(-1e7, 3e7)]
    [InlineData(97.3, 98.1)]
    [InlineData(-0.5, 0.5)]
    public void TicksCoverTheDataInOneTwoFiveStepsWithDistinctLabels(double min, double max)
    {
        var t = NiceTicks.Compute(min, max, 6);
        Assert.True(t.Min <= min && t.Max >= max, $"axis [{t.Min}, {t.Max}] does not cover [{min}, {max}]");
        Assert.InRange(t.Values.Count, 3, 12);
        double mantissa = t.Step / Math.Pow(10, Math.Floor(Math.Log10(t.Step)));
        Assert.Contains(Math.Round(mantissa, 9), new[] { 1.0, 2.0, 5.0 });
        for (int i = 0; i < t.Values.Count; i++)
        {
            Assert.Equal(t.Min + i * t.Step, t.Values[i], t.Step * 1e-9);
            Assert.Equal(0, Math.Abs(Math.IEEERemainder(t.Values[i], t.Step)), t.Step * 1e-6);
        }
        var labels = t.Values.Select(t.Label).ToList();
        Assert.Equal(labels.Count, labels.Distinct().Count());
        foreach (var (label, value) in labels.Zip(t.Values))
        {
            Assert.False(label.StartsWith('-') && double.Parse(label, CultureInfo.InvariantCulture) == 0, $"negative zero label {label}");
            Assert.Equal(value, double.Parse(label, CultureInfo.InvariantCulture), Math.Max(t.Step * 1e-6, 1e-300));
        }
    }

    [Fact]
    public void NegativeRangeLabelsHaveNoNegativeZero()
    {
        var t = NiceTicks.Compute(-250, -10, 6);
        Assert.Equal(0, t.Max);
        Assert.Equal("0", t.Label(t.Max));
        Assert.Equal("-100", t.Label(-100));
        Assert.Equal("0.0", NiceTicks.Compute(-0.31, 0.5).Label(-1e-17));
        Assert.Equal("0.0", NiceTicks.Compute(-0.31, 0.5).Label(-0.0));
    }

    [Fact]
    public void TinyRangesUseScientificLabels()
    {
        var t = NiceTicks.Compute(1e-9, 3.4e-9, 6);
        Assert.Equal(["1E-9", "2E-9", "3E-9", "4E-9"], t.Values.Select(t.Label));
    }

    [Fact]
    public void DegenerateRangeOpensAnAxisAroundTheValue()
    {
        var t = NiceTicks.Compute(5, 5);
        Assert.True(t.Min < 5 && t.Max > 5);
        Assert.True(t.Max - t.Min <= 2);
        var zero = NiceTicks.Compute(0, 0);
        Assert.Equal(-1, zero.Min);
        Assert.Equal(1, zero.Max);
        var negative = NiceTicks.Compute(-3e-8, -3e-8);
        Assert.True(negative.Min < -3e-8 && negative.Max > -3e-8);
    }

    [Fact]
    public void IntegerAxesStepByWholeNumbers()
    {
        var one = NiceTicks.Compute(1, 1, 6, integer: true);
        Assert.Equal(["0", "1", "2"], one.Values.Select(one.Label));
        var three = NiceTicks.Compute(1, 3, 6, integer: true);
        Assert.Equal(1, three.Step);
        var many = NiceTicks.Compute(1, 30, 6, integer: true);
        Assert.Equal(["0", "10", "20", "30"], many.Values.Select(many.Label));
    }

    [Fact]
    public void ReversedBoundsAreSwappedAndNonFiniteOnesRefused()
    {
        var t = NiceTicks.Compute(1, 0);
        Assert.Equal(0, t.Min);
        Assert.Equal(1, t.Max);
        Assert.Throws<ArgumentException>(() => NiceTicks.Compute(double.NaN, 1));
        Assert.Throws<ArgumentException>(() => NiceTicks.Compute(0, double.PositiveInfinity));
    }
}
