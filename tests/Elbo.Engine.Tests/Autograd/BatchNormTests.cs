using Elbo.Engine.Nn;
using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Autograd;

public class BatchNormTests
{
    private static (Tensor Mean, Tensor Var) FreshRunning(int c) => (Tensor.Zeros(c), Tensor.Ones(c));

    [Theory]
    [InlineData(new[] { 5, 3 })]
    [InlineData(new[] { 2, 3, 4, 5 })]
    [InlineData(new[] { 3, 2, 5 })]
    public void TrainingGradientsMatchWrtInputWeightAndBias(int[] shape)
    {
        var g = new Generator(30);
        int c = shape[1];
        var x = GradCheck.Param(g, shape);
        var w = GradCheck.Param(g, 0.5f, 1.5f, c);
        var b = GradCheck.Param(g, c);
        var (rm, rv) = FreshRunning(c);
        GradCheck.Check(t => Functional.BatchNorm(t[0], rm, rv, t[1], t[2], training: true), [x, w, b], eps: 1e-2f);
    }

    [Fact]
    public void TrainingGradientWithoutAffineParameters()
    {
        var g = new Generator(31);
        var x = GradCheck.Param(g, 4, 2, 3, 3);
        var (rm, rv) = FreshRunning(2);
        GradCheck.Check(t => Functional.BatchNorm(t[0], rm, rv, null, null, training: true), [x], eps: 1e-2f);
    }

    [Theory]
    [InlineData(new[] { 5, 3 })]
    [InlineData(new[] { 2, 3, 4, 5 })]
    public void EvalGradientsTreatRunningStatisticsAsConstants(int[] shape)
    {
        var g = new Generator(32);
        int c = shape[1];
        var x = GradCheck.Param(g, shape);
        var w = GradCheck.Param(g, c);
        var b = GradCheck.Param(g, c);
        var rm = Tensor.Randn(g, c);
        var rv = Tensor.Uniform(g, 0.5f, 2f, c);
        var before = (rm.ToArray(), rv.ToArray());
        GradCheck.Check(t => Functional.BatchNorm(t[0], rm, rv, t[1], t[2], training: false), [x, w, b]);
        Assert.Equal(before.Item1, rm.ToArray());
        Assert.Equal(before.Item2, rv.ToArray());
    }

    [Fact]
    public void TrainingNormalizesEachChannelToZeroMeanUnitVariance()
    {
        var g = new Generator(33);
        var x = Tensor.Randn(g, 4, 3, 5, 5).Mul(3f).Add(2f);
        var (rm, rv) = FreshRunning(3);
        var y = Functional.BatchNorm(x, rm, rv, null, null, training: true, eps: 0f);
        for (int c = 0; c < 3; c++)
        {
            double s = 0, sq = 0;
            for (int n = 0; n < 4; n++)
                for (int i = 0; i < 5; i++)
                    for (int j = 0; j < 5; j++) { float v = y[n, c, i, j]; s += v; sq += v * v; }
            Assert.Equal(0, s / 100, 4);
            Assert.Equal(1, sq / 100, 3);
        }
    }

    [Fact]
    public void RunningStatisticsUpdateInPlaceWithUnbiasedVariance()
    {
        // channel 0: values 1,2,3,6 → mean 3, biased var 3.5, unbiased var 14/3
        // channel 1: values 0,0,4,4 → mean 2, biased var 4, unbiased var 16/3
        var x = Tensor.FromArray([1, 0, 2, 0, 3, 4, 6, 4], 4, 2);
        var rm = Tensor.FromArray([1f, -1f]);
        var rv = Tensor.FromArray([2f, 0.5f]);
        var w = Tensor.FromArray([2f, 1f]);
        var b = Tensor.FromArray([0.5f, 0f]);
        var y = Functional.BatchNorm(x, rm, rv, w, b, training: true, momentum: 0.1f, eps: 0f);
        Assert.Equal(0.9f * 1f + 0.1f * 3f, rm[0], 5);
        Assert.Equal(0.9f * -1f + 0.1f * 2f, rm[1], 5);
        Assert.Equal(0.9f * 2f + 0.1f * 14f / 3f, rv[0], 5);
        Assert.Equal(0.9f * 0.5f + 0.1f * 16f / 3f, rv[1], 5);
        // y uses the biased batch variance: channel 0, x = 1 → 2·(1−3)/√3.5 + 0.5
        Assert.Equal(2f * (1f - 3f) / MathF.Sqrt(3.5f) + 0.5f, y[0, 0], 5);
        Assert.Equal((4f - 2f) / 2f, y[2, 1], 5);
    }

    [Fact]
    public void EvalUsesRunningStatistics()
    {
        var x = Tensor.FromArray([1, 0, 2, 4], 2, 2);
        var rm = Tensor.FromArray([1f, 2f]);
        var rv = Tensor.FromArray([4f, 0.25f]);
        var y = Functional.BatchNorm(x, rm, rv, null, Tensor.FromArray([0f, 1f]), training: false, eps: 0f);
        Assert.Equal(new float[] { 0f, -4f + 1f, 0.5f, 4f + 1f }, y.ToArray());
        Assert.Equal(new float[] { 1f, 2f }, rm.ToArray());
    }

    [Fact]
    public void GradientsAccumulateAcrossTwoBackwardPasses()
    {
        var g = new Generator(34);
        var x = GradCheck.Param(g, 3, 2, 2, 2);
        var w = GradCheck.Param(g, 2);
        var (rm, rv) = FreshRunning(2);
        var weights = Tensor.Randn(g, 3, 2, 2, 2);
        Functional.BatchNorm(x, rm, rv, w, null, true).Mul(weights).Sum().Backward();
        var gx = x.Grad!.ToArray();
        var gw = w.Grad!.ToArray();
        Functional.BatchNorm(x, rm, rv, w, null, true).Mul(weights).Sum().Backward();
        for (int i = 0; i < gx.Length; i++) Assert.Equal(2 * gx[i], x.Grad!.Data[i], 1e-4f * (1 + Math.Abs(gx[i])));
        for (int i = 0; i < gw.Length; i++) Assert.Equal(2 * gw[i], w.Grad!.Data[i], 1e-4f * (1 + Math.Abs(gw[i])));
    }

    [Fact]
    public void ErrorsNameTheOpAndShapes()
    {
        var x = Tensor.Zeros(4, 3, 2, 2);
        var (rm, rv) = FreshRunning(3);
        var e = Assert.Throws<ArgumentException>(() => Functional.BatchNorm(Tensor.Zeros(4), rm, rv, null, null, true));
        Assert.StartsWith("batch_norm: input (4,)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.BatchNorm(x, Tensor.Zeros(2), rv, null, null, true));
        Assert.StartsWith("batch_norm: running_mean (2,) does not match the 3 channels of input (4,3,2,2)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.BatchNorm(x, rm, Tensor.Zeros(4), null, null, true));
        Assert.StartsWith("batch_norm: running_var (4,)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.BatchNorm(x, rm, rv, Tensor.Ones(2), null, true));
        Assert.StartsWith("batch_norm: weight (2,)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.BatchNorm(x, rm, rv, null, Tensor.Ones(5), true));
        Assert.StartsWith("batch_norm: bias (5,)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.BatchNorm(Tensor.Zeros(1, 3), rm, rv, null, null, true));
        Assert.Contains("more than 1 value per channel", e.Message);
    }

    // ---- batch_norm followed by leaky_relu as one op (what Sequential runs for BatchNorm2d + LeakyReLU)

    [Theory]
    [InlineData(true, new[] { 6, 3, 7, 9 })]     // planes of 63: vector lanes and a scalar tail
    [InlineData(false, new[] { 6, 3, 7, 9 })]
    [InlineData(true, new[] { 130, 4 })]         // (N, C): planes of one value
    [InlineData(true, new[] { 64, 8, 12, 12 })]  // above the size that splits channels over threads
    public void TheFusedOpGivesTheTwoOpsValuesBitForBitAndTheirGradients(bool training, int[] shape)
    {
        var g = new Generator(33);
        int c = shape[1];
        var x = GradCheck.Param(g, shape);
        var w = GradCheck.Param(g, 0.5f, 1.5f, c);
        var b = GradCheck.Param(g, c);
        var dy = Tensor.Randn(g, shape);
        var (rm1, rv1) = (Tensor.Randn(new Generator(5), c), Tensor.Uniform(new Generator(6), 0.5f, 2f, c));
        var (rm2, rv2) = (rm1.Clone(), rv1.Clone());

        var two = Functional.BatchNorm(x, rm1, rv1, w, b, training).LeakyRelu(0.2f);
        two.Backward(dy);
        float[] gx = x.Grad!.ToArray(), gw = w.Grad!.ToArray(), gb = b.Grad!.ToArray();
        x.ZeroGrad(); w.ZeroGrad(); b.ZeroGrad();
        var one = Functional.BatchNormLeakyRelu(x, rm2, rv2, w, b, training, 0.2f);
        one.Backward(dy);

        Assert.Equal(two.ToArray(), one.ToArray());          // the same floats, forward
        Assert.Equal(rm1.ToArray(), rm2.ToArray());
        Assert.Equal(rv1.ToArray(), rv2.ToArray());
        AssertClose(gx, x.Grad!.ToArray());
        AssertClose(gw, w.Grad!.ToArray());
        AssertClose(gb, b.Grad!.ToArray());
        Assert.Contains(one.ToArray(), v => v < 0);           // the negative side was taken
    }

    [Fact]
    public void TheStatisticsOfBlocksThatDifferCombineIntoTheBatchStatistics()
    {
        // 64 images whose values drift from 500 to 532 across the batch: the op sums blocks of images about each
        // block's own mean and combines them, so a wrong combination (the spread between block means left out, say)
        // shows in the variance; a single pass of Σx² in float would lose it to the offset
        const int n = 64, c = 2, s = 81;
        var g = new Generator(36);
        var x = Tensor.Randn(g, n, c, 9, 9);
        var data = x.Data;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < c * s; j++) data[i * c * s + j] = 500f + 0.5f * i + data[i * c * s + j];
        var rm = Tensor.Zeros(c);
        var rv = Tensor.Zeros(c);
        Functional.BatchNorm(x, rm, rv, null, null, training: true, momentum: 1f);
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
                for (int k = 0; k < s; k++) sum += data[(i * c + ch) * s + k];
            double mean = sum / (n * s), sq = 0;
            for (int i = 0; i < n; i++)
                for (int k = 0; k < s; k++) sq += Math.Pow(data[(i * c + ch) * s + k] - mean, 2);
            double unbiased = sq / (n * s - 1);   // about 86: 1 within images, 85 between them
            Assert.Equal(mean, rm[ch], mean * 1e-6);
            Assert.Equal(unbiased, rv[ch], unbiased * 1e-5);
        }
    }

    [Fact]
    public void TheFusedOpsGradientsMatchCentralDifferences()
    {
        var g = new Generator(34);
        var x = GradCheck.Param(g, 4, 2, 3, 3);
        var w = GradCheck.Param(g, 0.5f, 1.5f, 2);
        var b = GradCheck.Param(g, 2);
        var (rm, rv) = FreshRunning(2);
        GradCheck.Check(t => Functional.BatchNormLeakyRelu(t[0], rm, rv, t[1], t[2], training: true, 0.1f), [x, w, b], eps: 1e-2f);
    }

    [Fact]
    public void ASequentialRunsBatchNorm2dThenLeakyReluAsTheTwoModulesDo()
    {
        var g = new Generator(35);
        var x = GradCheck.Param(g, 5, 3, 4, 4);
        var fused = new Sequential(new BatchNorm2d(3), new LeakyReLU(0.05f));
        var apart = new BatchNorm2d(3);
        var activation = new LeakyReLU(0.05f);
        foreach (var (name, p) in fused.NamedParameters()) p.Data.Fill(name.EndsWith("weight") ? 1.3f : -0.2f);
        apart.Weight!.Data.Fill(1.3f);
        apart.Bias!.Data.Fill(-0.2f);
        foreach (bool training in new[] { true, false })
        {
            fused.Train(training);
            apart.Train(training);
            var expected = activation.Forward(apart.Forward(x));
            expected.Sum().Backward();
            var gx = x.Grad!.ToArray();
            x.ZeroGrad();
            var actual = fused.Forward(x);
            actual.Sum().Backward();
            Assert.Equal(expected.ToArray(), actual.ToArray());
            AssertClose(gx, x.Grad!.ToArray());
            x.ZeroGrad();
        }
        Assert.Equal(apart.RunningMean.ToArray(), ((BatchNorm2d)fused[0]).RunningMean.ToArray());
        Assert.Equal(2f, ((BatchNorm2d)fused[0]).NumBatchesTracked.Data[0] + 1f);   // one training batch counted
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f + 1e-5f * Math.Abs(expected[i]), $"element {i}: {expected[i]} vs {actual[i]}");
    }
}
