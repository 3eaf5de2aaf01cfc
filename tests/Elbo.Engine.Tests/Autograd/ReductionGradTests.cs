using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Autograd;

public class ReductionGradTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(-1, true)]
    public void SumMeanAndLogSumExpOverADimension(int dim, bool keep)
    {
        var g = new Generator(5);
        var x = GradCheck.Param(g, 2, 3, 4);
        GradCheck.Check(t => t[0].Sum(dim, keep), [x]);
        GradCheck.Check(t => t[0].Mean(dim, keep), [x]);
        GradCheck.Check(t => t[0].LogSumExp(dim, keep), [x]);
    }

    [Fact]
    public void SumAndMeanOfEverything()
    {
        var g = new Generator(6);
        var x = GradCheck.Param(g, 3, 5);
        GradCheck.Check(t => t[0].Sum(), [x]);
        GradCheck.Check(t => t[0].Mean(), [x]);
        Assert.Equal(x.ToArray().Sum(), x.Sum().Item(), 4);
    }

    [Fact]
    public void LogSumExpIsStableForLargeValues()
    {
        var x = Tensor.FromArray([1000f, 1000f, -1000f], 1, 3);
        Assert.Equal(1000f + MathF.Log(2f), x.LogSumExp(1).Item(), 3);
    }

    [Fact]
    public void ReshapeSharesDataAndPassesGradient()
    {
        var g = new Generator(8);
        var x = GradCheck.Param(g, 2, 6);
        var y = x.Reshape(3, -1);
        Assert.Equal(new[] { 3, 4 }, y.ShapeArray());
        GradCheck.Check(t => t[0].Reshape(4, 3) * t[0].Reshape(4, 3), [x]);
        Assert.Throws<ArgumentException>(() => x.Reshape(5, -1));
    }
}
