using Elbo.Engine.Autograd;
using Elbo.Engine.Nn;
using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Nn;

/// <summary>The convolution, batch-norm, dropout and activation modules: shapes, gradients, running statistics,
/// train/eval behaviour and state dicts.</summary>
public class ConvNormDropoutLayerTests
{
    [Fact]
    public void Conv2dOutputShapeFollowsStrideAndPadding()
    {
        var conv = new Conv2d(3, 8, 4, new Generator(1), stride: 2, padding: 1);
        var y = conv.Forward(Tensor.Randn(new Generator(2), 2, 3, 28, 28));
        Assert.Equal(new[] { 2, 8, 14, 14 }, y.ShapeArray());
    }

    [Fact]
    public void ConvTranspose2dUndoesTheShapeOfAStridedConv2d()
    {
        var deconv = new ConvTranspose2d(8, 3, 4, new Generator(1), stride: 2, padding: 1);
        var y = deconv.Forward(Tensor.Randn(new Generator(2), 2, 8, 14, 14));
        Assert.Equal(new[] { 2, 3, 28, 28 }, y.ShapeArray());
        var withOutputPadding = new ConvTranspose2d(8, 3, 3, new Generator(1), stride: 2, padding: 1, outputPadding: 1);
        Assert.Equal(new[] { 2, 3, 28, 28 }, withOutputPadding.Forward(Tensor.Randn(new Generator(2), 2, 8, 14, 14)).ShapeArray());
    }

    [Fact]
    public void ConvLayersPassGradientsToWeightAndBias()
    {
        var g = new Generator(3);
        var conv = new Conv2d(2, 3, 3, g, padding: 1);
        var x = GradCheck.Param(g, 1, 2, 4, 4);
        GradCheck.Check(t => conv.Forward(t[0]), [x, conv.Weight, conv.Bias!]);
        var deconv = new ConvTranspose2d(2, 3, 3, g, stride: 2);
        GradCheck.Check(t => deconv.Forward(t[0]), [x, deconv.Weight, deconv.Bias!]);
    }

    [Fact]
    public void BatchNormTrainingUpdatesRunningStatsAndCountsBatches()
    {
        var bn = new BatchNorm1d(2);
        var x = Tensor.FromArray([1f, 10f, 3f, 20f, 5f, 30f], 3, 2);
        var y = bn.Forward(x);
        // Batch statistics: means (3, 20), biased variances (8/3, 200/3); output has zero mean per channel.
        Assert.Equal(0f, y.Mean(0).ToArray()[0], 5);
        Assert.Equal(new[] { 0.3f, 2f }, bn.RunningMean.ToArray());
        // Unbiased variances (4, 100): 0.9·1 + 0.1·v.
        Assert.Equal(0.9f + 0.4f, bn.RunningVar.ToArray()[0], 5);
        Assert.Equal(0.9f + 10f, bn.RunningVar.ToArray()[1], 4);
        Assert.Equal(1f, bn.NumBatchesTracked.Item());
    }

    [Fact]
    public void BatchNormEvalUsesRunningStatsAndCountsNothing()
    {
        var bn = new BatchNorm2d(1);
        bn.RunningMean.Data[0] = 2f;
        bn.RunningVar.Data[0] = 4f;
        bn.Eval();
        var y = bn.Forward(Tensor.Full(6f, 1, 1, 2, 2));
        Assert.All(y.ToArray(), v => Assert.Equal(4f / MathF.Sqrt(4f + 1e-5f), v, 5));
        Assert.Equal(0f, bn.NumBatchesTracked.Item());
        Assert.Equal(2f, bn.RunningMean.Item());
    }

    [Fact]
    public void BatchNorm1dAcceptsSequencesOfShapeNCL()
    {
        var bn = new BatchNorm1d(3);
        var y = bn.Forward(Tensor.Randn(new Generator(4), 2, 3, 5));
        Assert.Equal(new[] { 2, 3, 5 }, y.ShapeArray());
    }

    [Fact]
    public void DropoutIsTheIdentityInEvalAndZeroesOrScalesInTraining()
    {
        var drop = new Dropout(new Generator(5), 0.5f);
        var x = Tensor.Ones(1000);
        var y = drop.Forward(x).ToArray();
        Assert.All(y, v => Assert.True(v == 0f || v == 2f));
        Assert.InRange(y.Count(v => v == 0f), 400, 600);
        drop.Eval();
        Assert.Equal(x.ToArray(), drop.Forward(x).ToArray());
    }

    [Fact]
    public void ActivationModulesApplyTheirFunction()
    {
        var x = Tensor.FromArray([-2f, -0.5f, 0f, 1.5f]);
        Assert.Equal(new[] { 0f, 0f, 0f, 1.5f }, new ReLU().Forward(x).ToArray());
        Assert.Equal(new[] { -0.02f, -0.005f, 0f, 1.5f }, new LeakyReLU().Forward(x).ToArray());
        Assert.Equal(new[] { -0.4f, -0.1f, 0f, 1.5f }, new LeakyReLU(0.2f).Forward(x).ToArray());
        var expected = new[] { -2.0, -0.5, 0.0, 1.5 };
        Assert.Equal(expected.Select(v => (float)(1 / (1 + Math.Exp(-v)))), new Sigmoid().Forward(x).ToArray(), new Tol());
        Assert.Equal(expected.Select(v => (float)Math.Tanh(v)), new Tanh().Forward(x).ToArray(), new Tol());
        Assert.Equal(expected.Select(v => (float)Math.Log(1 + Math.Exp(v))), new Softplus().Forward(x).ToArray(), new Tol());
    }

    [Fact]
    public void AConvolutionalAutoencoderRoundTripsThroughItsStateDict()
    {
        var g = new Generator(6);
        Module Build(Generator gen) => new Sequential(
            new Conv2d(1, 4, 4, gen, stride: 2, padding: 1), new BatchNorm2d(4), new LeakyReLU(0.2f),
            new Flatten(), new Linear(4 * 4 * 4, 8, gen), new ReLU(), new Linear(8, 4 * 4 * 4, gen),
            new Unflatten(1, 4, 4, 4), new ConvTranspose2d(4, 1, 4, gen, stride: 2, padding: 1), new Sigmoid());
        var a = Build(g);
        var x = Tensor.Randn(new Generator(7), 3, 1, 8, 8);
        a.Forward(x);
        var b = Build(new Generator(8));
        b.LoadStateDict(a.StateDict());
        a.Eval();
        b.Eval();
        using (GradMode.NoGrad()) Assert.Equal(a.Forward(x).ToArray(), b.Forward(x).ToArray());
        Assert.Equal(1f, b.StateDict()["1.num_batches_tracked"].Item());
    }

    private sealed class Tol : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= 1e-5f;
        public int GetHashCode(float obj) => 0;
    }
}
