using Elbo.Engine.Kernels;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Tests.Kernels;

public class DriverErrorTests
{
    [Fact]
    public void LengthMismatchThrowsArgumentExceptionInEveryDriver()
    {
        var a = new float[5];
        var b = new float[4];
        var d = new float[5];
        var e = Assert.Throws<ArgumentException>(() => UnaryDriver.Apply<ReluOperator>(a, new float[4]));
        Assert.Contains("unary kernel", e.Message);
        Assert.Throws<ArgumentException>(() => UnaryDriver.Reference<ReluOperator>(a, new float[4]));
        e = Assert.Throws<ArgumentException>(() => BinaryDriver.Apply<ReluBackwardOperator>(a, b, d));
        Assert.Contains("4", e.Message);
        Assert.Throws<ArgumentException>(() => BinaryDriver.Apply<ReluBackwardOperator>(a, a, new float[6], true));
        Assert.Throws<ArgumentException>(() => BinaryDriver.Reference<ReluBackwardOperator>(a, b, d));
        Assert.Throws<ArgumentException>(() => TernaryDriver.Apply(a, a, b, d, false, new GaussianNllOperator(true)));
        Assert.Throws<ArgumentException>(() => TernaryDriver.Reference(a, a, b, d, false, new GaussianNllOperator(true)));
        Assert.Throws<ArgumentException>(() => QuaternaryDriver.Apply(a, a, a, b, d, false, new GaussianNllMeanGradOperator(1f)));
        Assert.Throws<ArgumentException>(() => QuaternaryDriver.Reference(a, a, a, b, d, false, new GaussianNllMeanGradOperator(1f)));
        Assert.Throws<ArgumentException>(() => ReduceDriver.Sum(a, b, new SquaredErrorOperator()));
        Assert.Throws<ArgumentException>(() => ReduceDriver.Sum(a, a, b, new GaussianNllOperator(false)));
    }

    [Fact]
    public void InPlaceApplicationMatchesOutOfPlace()
    {
        var g = new Generator(9);
        var x = KernelTestSupport.Sample(g, 203, -4f, 4f);
        var expected = new float[x.Length];
        UnaryDriver.Apply(x, expected, op: new SoftplusOperator());
        UnaryDriver.Apply(x, x, op: new SoftplusOperator());
        Assert.Equal(expected, x);
    }
}
