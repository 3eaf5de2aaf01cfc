using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Autograd;

public class MatMulGradTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MatMulGradientsMatchForEveryTransposeCombination(bool ta, bool tb)
    {
        var g = new Generator(3);
        int m = 3, k = 5, n = 4;
        var a = GradCheck.Param(g, ta ? [k, m] : [m, k]);
        var b = GradCheck.Param(g, tb ? [n, k] : [k, n]);
        GradCheck.Check(t => t[0].MatMul(t[1], ta, tb), [a, b]);
    }

    [Fact]
    public void MatMulValuesMatchHandComputation()
    {
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var b = Tensor.FromArray([1, 0, 0, 1, 1, 1], 3, 2);
        Assert.Equal(new float[] { 4, 5, 10, 11 }, a.MatMul(b).ToArray());
        Assert.Equal(new float[] { 14, 32, 32, 77 }, a.MatMul(a, false, true).ToArray());
    }

    [Fact]
    public void MatMulShapeMismatchNamesBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(128, 784).MatMul(Tensor.Zeros(400, 784)));
        Assert.Contains("matmul: (128,784) x (400,784)", e.Message);
        Assert.Contains("inner dimensions 784 and 400 differ", e.Message);
    }

    [Fact]
    public void LinearGradientsMatch()
    {
        var g = new Generator(4);
        var x = GradCheck.Param(g, 5, 3);
        var w = GradCheck.Param(g, 4, 3);
        var b = GradCheck.Param(g, 4);
        GradCheck.Check(t => Elbo.Engine.Autograd.Functions.LinearFunction.Forward(t[0], t[1], t[2]), [x, w, b]);
    }
}
