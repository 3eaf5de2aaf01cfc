using Elbo.Engine.Nn;

namespace Elbo.Engine.Tests.Autograd;

public class DropoutTests
{
    [Fact]
    public void KeptFractionIsAboutOneMinusPAndKeptValuesAreScaled()
    {
        var x = Tensor.Ones(200, 100);
        var y = Functional.Dropout(x, 0.3f, training: true, new Generator(41));
        int kept = 0;
        foreach (float v in y.ToArray())
        {
            if (v != 0f)
            {
                kept++;
                Assert.Equal(1f / 0.7f, v, 6);
            }
        }
        Assert.InRange(kept / (double)x.Numel, 0.68, 0.72);
        Assert.InRange(y.Mean().Item(), 0.97f, 1.03f);
    }

    [Fact]
    public void GradientIsTheScaledMaskTimesUpstream()
    {
        var g = new Generator(42);
        var x = Tensor.Randn(g, 8, 9);
        x.RequiresGrad = true;
        var y = Functional.Dropout(x, 0.5f, training: true, new Generator(43));
        var mask = y.Saved0!.ToArray();
        var w = Tensor.Randn(g, 8, 9);
        y.Mul(w).Sum().Backward();
        for (int i = 0; i < x.Numel; i++)
        {
            Assert.True(mask[i] == 0f || mask[i] == 2f, $"mask value {mask[i]}");
            Assert.Equal(mask[i] * w.Data[i], x.Grad!.Data[i], 6);
            Assert.Equal(mask[i] * x.Data[i], y.Data[i], 6);
        }
    }

    [Fact]
    public void GradientMatchesCentralDifferencesForAFixedSeed()
    {
        var x = Elbo.Engine.Tests.Support.GradCheck.Param(new Generator(44), 5, 6);
        Elbo.Engine.Tests.Support.GradCheck.Check(t => Functional.Dropout(t[0], 0.3f, true, new Generator(45)), [x]);
    }

    [Fact]
    public void SameSeedGivesSameMask()
    {
        var x = Tensor.Ones(1000);
        var a = Functional.Dropout(x, 0.4f, true, new Generator(7)).ToArray();
        var b = Functional.Dropout(x, 0.4f, true, new Generator(7)).ToArray();
        var c = Functional.Dropout(x, 0.4f, true, new Generator(8)).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void EvalModeAndZeroProbabilityReturnTheInputItself()
    {
        var x = Tensor.Ones(3, 3);
        Assert.Same(x, Functional.Dropout(x, 0.5f, training: false, new Generator(1)));
        Assert.Same(x, Functional.Dropout(x, 0f, training: true, new Generator(1)));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void ProbabilityOutsideZeroToOneThrows(float p)
    {
        var e = Assert.Throws<ArgumentException>(() => Functional.Dropout(Tensor.Ones(2), p, true, new Generator(1)));
        Assert.StartsWith("dropout", e.Message);
    }
}
