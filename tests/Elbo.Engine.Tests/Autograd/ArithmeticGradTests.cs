using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Autograd;

public class ArithmeticGradTests
{
    public static TheoryData<int[], int[]> BroadcastShapes => new()
    {
        { [3, 4], [3, 4] },      // same shape
        { [3, 4], [4] },         // row-vector bias
        { [3, 4], [1, 4] },
        { [3, 4], [3, 1] },      // column
        { [3, 4], [] },          // scalar
        { [2, 3, 4], [3, 1] },   // middle broadcast
        { [2, 1, 4], [3, 1] },   // both broadcast
        { [5], [2, 5] },         // left operand broadcast
    };

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void AddSubMulDivGradientsMatchCentralDifferences(int[] a, int[] b)
    {
        var g = new Generator(1);
        var x = GradCheck.Param(g, a);
        var y = GradCheck.Param(g, b);
        GradCheck.Check(t => t[0] + t[1], [x, y]);
        GradCheck.Check(t => t[0] - t[1], [x, y]);
        GradCheck.Check(t => t[0] * t[1], [x, y]);
        var yPos = GradCheck.Param(g, 0.5f, 2f, b);
        GradCheck.Check(t => t[0] / t[1], [x, yPos]);
    }

    [Fact]
    public void ScalarOperatorsHaveCorrectValuesAndGradients()
    {
        var g = new Generator(2);
        var x = GradCheck.Param(g, 2, 3);
        GradCheck.Check(t => t[0] * 3f + 1f, [x]);
        GradCheck.Check(t => 2f - t[0], [x]);
        GradCheck.Check(t => -t[0] / 4f, [x]);
        var y = (2f - x).Data;
        for (int i = 0; i < y.Length; i++) Assert.Equal(2f - x.Data[i], y[i]);
    }

    [Fact]
    public void BroadcastValuesFollowNumpyRules()
    {
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var row = Tensor.FromArray([10, 20, 30], 3);
        var col = Tensor.FromArray([100, 200], 2, 1);
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, (a + row).ToArray());
        Assert.Equal(new float[] { 101, 102, 103, 204, 205, 206 }, (a + col).ToArray());
        var outer = col + row; // (2,1) + (3,) -> (2,3)
        Assert.Equal(new[] { 2, 3 }, outer.ShapeArray());
        Assert.Equal(new float[] { 110, 120, 130, 210, 220, 230 }, outer.ToArray());
    }

    [Fact]
    public void IncompatibleShapesThrowNamingOpAndShapes()
    {
        var a = Tensor.Zeros(3, 4);
        var b = Tensor.Zeros(3);
        var e = Assert.Throws<ArgumentException>(() => a + b);
        Assert.Contains("add", e.Message);
        Assert.Contains("(3,4)", e.Message);
        Assert.Contains("(3,)", e.Message);
    }
}
