using Elbo.Engine.Optim;
using Elbo.Engine.Tests.Support;
using static Elbo.Engine.Tests.Optim.OptimReference;

namespace Elbo.Engine.Tests.Optim;

public class SGDTests
{
    [Fact]
    public void PlainSgdSubtractsLrTimesTheGradient()
    {
        var p = Tensor.FromArray([1f, 2f]);
        AssertClose([0.95, 2.1], Run(p, new SGD([p], lr: 0.1), [[0.5, -1.0]]));
    }

    [Fact]
    public void MomentumBufferIsTheGradientAtTheFirstStepThenAccumulates()
    {
        // step 1: b = g → p − 0.1·g; step 2: b = 0.9·g + g = 1.9·g.
        var p = Tensor.FromArray([1f, 2f]);
        AssertClose([0.855, 2.29], Run(p, new SGD([p], lr: 0.1, momentum: 0.9), [[0.5, -1.0], [0.5, -1.0]]));
    }

    [Fact]
    public void DampeningIsNotAppliedAtTheFirstStep()
    {
        // step 1: b = g; step 2: b = 0.9·g + 0.5·g = 1.4·g.
        var p = Tensor.FromArray([1f]);
        AssertClose([1 - 0.1 - 0.14], Run(p, new SGD([p], lr: 0.1, momentum: 0.9, dampening: 0.5), [[1.0], [1.0]]));
    }

    [Fact]
    public void NesterovAddsMomentumTimesTheBufferToTheGradient()
    {
        // step 1: b = g, d = g + 0.9·g = 1.9·g.
        var p = Tensor.FromArray([1f]);
        AssertClose([1 - 0.19], Run(p, new SGD([p], lr: 0.1, momentum: 0.9, nesterov: true), [[1.0]]));
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.0, false)]
    [InlineData(0.9, 0.0, 0.01, false)]
    [InlineData(0.9, 0.0, 0.01, true)]
    [InlineData(0.5, 0.3, 0.2, false)]
    public void SgdMatchesTheFormulasOnVectorAndTailPaths(double momentum, double dampening, double wd, bool nesterov)
    {
        var p = Tensor.Randn(new Generator(4), 37);
        var grads = RandomGrads(4, 37, 5);
        var expected = Sgd(ToDouble(p), grads, 0.05, momentum, dampening, wd, nesterov);
        AssertClose(expected, Run(p, new SGD([p], lr: 0.05, momentum: momentum, dampening: dampening, weightDecay: wd, nesterov: nesterov), grads));
    }

    [Fact]
    public void NesterovWithoutMomentumIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SGD([Tensor.Zeros(1)], nesterov: true));
        Assert.StartsWith("sgd:", ex.Message);
    }

    [Fact]
    public void SgdStepAllocatesNothingAfterTheFirstUpdate()
    {
        var g = new Generator(6);
        var p = Tensor.Randn(g, 37);
        p.Grad = Tensor.Randn(g, 37);
        Assert.Equal(0, Allocations.Measure(new SGD([p], lr: 0.01, momentum: 0.9, weightDecay: 0.1).Step));
    }
}
