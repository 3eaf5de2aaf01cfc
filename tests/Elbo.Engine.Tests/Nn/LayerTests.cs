using Elbo.Engine.Nn;
using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Nn;

public class LayerTests
{
    [Fact]
    public void LinearComputesXTimesWeightTransposedPlusBias()
    {
        var lin = new Linear(2, 3, new Generator(1));
        lin.Weight.CopyFrom(Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f]));
        lin.Bias!.CopyFrom(Tensor.FromArray([0.5f, -1f, 2f]));
        var y = lin.Forward(Tensor.FromArray([1f, -1f, 2f, 0.5f], 2, 2));
        Assert.Equal(new float[] { -0.5f, -2f, 1f, 3.5f, 7f, 15f }, y.ToArray());
    }

    [Fact]
    public void LinearWithoutBiasHasOnlyAWeight()
    {
        var lin = new Linear(4, 2, new Generator(1), bias: false);
        Assert.Null(lin.Bias);
        Assert.Equal(new[] { "weight" }, lin.NamedParameters().Select(kv => kv.Key));
    }

    [Fact]
    public void LinearGradientsReachWeightAndBias()
    {
        var g = new Generator(2);
        var lin = new Linear(3, 2, g);
        var x = GradCheck.Param(g, 4, 3);
        GradCheck.Check(t => lin.Forward(t[0]), [x, lin.Weight, lin.Bias!]);
    }

    [Fact]
    public void FlattenMergesFromDimensionOneByDefault()
    {
        var x = Tensor.Randn(new Generator(3), 2, 3, 4, 5);
        Assert.Equal(new[] { 2, 60 }, new Flatten().Forward(x).ShapeArray());
        Assert.Equal(new[] { 2, 12, 5 }, new Flatten(1, 2).Forward(x).ShapeArray());
        Assert.Equal(new[] { 120 }, new Flatten(0).Forward(x).ShapeArray());
        Assert.Equal(x.ToArray(), new Flatten().Forward(x).ToArray());
    }

    [Fact]
    public void UnflattenSplitsADimensionAndUndoesFlatten()
    {
        var x = Tensor.Randn(new Generator(4), 2, 3, 4, 5);
        var flat = new Flatten().Forward(x);
        var back = new Unflatten(1, 3, 4, 5).Forward(flat);
        Assert.Equal(x.ShapeArray(), back.ShapeArray());
        Assert.Equal(x.ToArray(), back.ToArray());
        Assert.Equal(new[] { 2, 3, 20 }, new Unflatten(-1, 3, -1).Forward(flat).ShapeArray());
    }

    [Fact]
    public void UnflattenWithSizesThatDoNotFillTheDimensionIsAnError()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Unflatten(1, 7, 8).Forward(Tensor.Zeros(2, 60)));
        Assert.StartsWith("unflatten:", ex.Message);
        Assert.Contains("(2,60)", ex.Message);
    }

    [Fact]
    public void FlattenAndUnflattenPassGradientsThrough()
    {
        var g = new Generator(5);
        var x = GradCheck.Param(g, 2, 3, 2);
        GradCheck.Check(t => new Unflatten(1, 2, 3).Forward(new Flatten().Forward(t[0])) * t[0].Reshape(2, 2, 3), [x]);
    }

    [Fact]
    public void SequentialAppliesItsModulesInOrder()
    {
        var g = new Generator(6);
        var a = new Linear(3, 4, g);
        var b = new Linear(4, 2, g);
        var seq = new Sequential(a, new Square(), b);
        var x = Tensor.Randn(g, 5, 3);
        var expected = b.Forward(a.Forward(x) * a.Forward(x));
        Assert.Equal(expected.ToArray(), seq.Forward(x).ToArray());
        Assert.Equal(3, seq.Count);
        Assert.Same(b, seq[2]);
    }

    [Fact]
    public void LayerArgumentsAreValidated()
    {
        var g = new Generator(7);
        Assert.Throws<ArgumentException>(() => new Conv2d(3, 8, 0, g));
        Assert.Throws<ArgumentException>(() => new ConvTranspose2d(3, 8, 3, g, stride: 2, outputPadding: 2));
        Assert.Throws<ArgumentException>(() => new Dropout(g, 1.5f));
        Assert.Throws<ArgumentException>(() => new BatchNorm2d(0));
    }

    [Fact]
    public void BatchNormRejectsTheWrongRankOrChannelCountBeforeComputing()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros(2, 3)));
        Assert.Contains("(2,3)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros(2, 4)));
        Assert.Contains("(2,4)", ex.Message);
    }
}
