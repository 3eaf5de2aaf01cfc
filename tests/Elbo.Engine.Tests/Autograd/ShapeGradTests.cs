using Elbo.Engine.Nn;
using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Autograd;

public class ShapeGradTests
{
    [Fact]
    public void FlattenIsAViewWithMergedDimensionsAndGradient()
    {
        var g = new Generator(51);
        var x = GradCheck.Param(g, 2, 3, 4, 5);
        var f = x.Flatten(1);
        Assert.Equal(new[] { 2, 60 }, f.ShapeArray());
        Assert.Same(x.Storage, f.Storage);
        Assert.Equal(new[] { 2, 12, 5 }, x.Flatten(1, 2).ShapeArray());
        Assert.Equal(new[] { 120 }, x.Flatten().ShapeArray());
        Assert.Equal(new[] { 6, 4, 5 }, x.Flatten(0, -3).ShapeArray());
        Assert.Equal(new[] { 1 }, Tensor.Scalar(3f).Flatten().ShapeArray());
        GradCheck.Check(t => t[0].Flatten(1).Square(), [x]);
        Assert.Throws<ArgumentException>(() => x.Flatten(2, 1));
        Assert.Throws<ArgumentException>(() => x.Flatten(4));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void NarrowCopiesTheSliceAndBackwardFillsOnlyIt(int dim)
    {
        var g = new Generator(52);
        var x = GradCheck.Param(g, 4, 5, 6);
        int d = dim < 0 ? dim + 3 : dim;
        var y = x.Narrow(dim, 1, 2);
        var expectedShape = x.ShapeArray();
        expectedShape[d] = 2;
        Assert.Equal(expectedShape, y.ShapeArray());
        for (int i = 0; i < y.Numel; i++)
        {
            var idx = Unravel(i, y.ShapeArray());
            idx[d] += 1;
            Assert.Equal(x[idx], y.Data[i]);
        }
        GradCheck.Check(t => t[0].Narrow(dim, 1, 2), [x]);
        // a stale gradient buffer (overwrite) must get zeros outside the slice
        x.Grad!.Data.Fill(123f);
        x.ZeroGrad();
        x.Narrow(dim, 1, 2).Sum().Backward();
        for (int i = 0; i < x.Numel; i++)
        {
            int k = Unravel(i, x.ShapeArray())[d];
            Assert.Equal(k is 1 or 2 ? 1f : 0f, x.Grad!.Data[i]);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void ConcatJoinsAlongADimensionWithGradientsToEachInput(int dim)
    {
        var g = new Generator(53);
        int d = dim < 0 ? dim + 3 : dim;
        int[] Shape(int size)
        {
            var s = new[] { 3, 4, 2 };
            s[d] = size;
            return s;
        }
        var a = GradCheck.Param(g, Shape(1));
        var b = GradCheck.Param(g, Shape(3));
        var c = GradCheck.Param(g, Shape(2));
        var y = Tensor.Concat([a, b, c], dim);
        Assert.Equal(Shape(6), y.ShapeArray());
        Assert.Equal(a.ToArray(), y.Narrow(dim, 0, 1).ToArray());
        Assert.Equal(b.ToArray(), y.Narrow(dim, 1, 3).ToArray());
        Assert.Equal(c.ToArray(), y.Narrow(dim, 4, 2).ToArray());
        GradCheck.Check(t => Tensor.Concat([t[0], t[1], t[2]], dim), [a, b, c]);
        var constant = Tensor.Randn(g, Shape(2));
        GradCheck.Check(t => Tensor.Concat([t[0], constant, t[0]], dim), [a]);
    }

    [Fact]
    public void ConcatRejectsMismatchedShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)], 1));
        Assert.StartsWith("concat", e.Message);
        Assert.Contains("(3,3)", e.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(2, 3, 1)], 0));
        Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Zeros(2, 3)], 2));
        Assert.Throws<ArgumentException>(() => Tensor.Concat(ReadOnlySpan<Tensor>.Empty, 0));
        Assert.Equal(new[] { 5, 3 }, Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)], 0).ShapeArray());
    }

    [Fact]
    public void NarrowRejectsOutOfRangeSlices()
    {
        var x = Tensor.Zeros(3, 4);
        var e = Assert.Throws<ArgumentException>(() => x.Narrow(1, 2, 3));
        Assert.StartsWith("narrow", e.Message);
        Assert.Throws<ArgumentException>(() => x.Narrow(2, 0, 1));
        Assert.Throws<ArgumentException>(() => x.Narrow(0, 0, -1));
        Assert.Throws<ArgumentException>(() => x.Narrow(0, -4, 1));
        Assert.Equal(new[] { 1, 4 }, x.Narrow(0, -1, 1).ShapeArray());
        Assert.Equal(new[] { 3, 0 }, x.Narrow(1, 4, 0).ShapeArray());
    }

    [Fact]
    public void SplitAndChunkFollowPyTorchSizes()
    {
        var x = Tensor.FromArray(Enumerable.Range(0, 14).Select(i => (float)i).ToArray(), 7, 2);
        Assert.Equal(new[] { 3, 3, 1 }, x.Split(3).Select(p => p.Dim(0)).ToArray());
        Assert.Equal(new[] { 2, 2, 2, 1 }, x.Chunk(4).Select(p => p.Dim(0)).ToArray());
        Assert.Equal(new[] { 3, 3, 1 }, x.Chunk(3).Select(p => p.Dim(0)).ToArray());
        Assert.Equal(new[] { 1, 1, 1, 1, 1, 1, 1 }, x.Chunk(10).Select(p => p.Dim(0)).ToArray());
        Assert.Equal(new[] { 1, 1 }, x.Chunk(2, dim: 1).Select(p => p.Dim(1)).ToArray());
        Assert.Equal(new float[] { 12, 13 }, x.Split(3)[2].ToArray());
        var y = Tensor.Zeros(6, 4);
        // PyTorch: torch.zeros(6).chunk(4) -> sizes 2, 2, 2 (three pieces)
        Assert.Equal(3, y.Chunk(4).Length);
        Assert.Equal(3, Tensor.Zeros(0, 2).Chunk(3).Length);
        Assert.Single(Tensor.Zeros(0, 2).Split(2));
        Assert.Throws<ArgumentException>(() => x.Split(0));
        Assert.Throws<ArgumentException>(() => x.Chunk(0));
        Assert.Throws<ArgumentException>(() => x.Split(2, dim: 2));
    }

    [Fact]
    public void SplitPiecesCarryGradientsBackToTheirSlices()
    {
        var g = new Generator(54);
        var x = GradCheck.Param(g, 5, 4);
        GradCheck.Check(t =>
        {
            var parts = t[0].Split(2, dim: 0);
            return parts[0].Sum() * 1f + parts[1].Square().Sum() + parts[2].Exp().Sum();
        }, [x]);
        GradCheck.Check(t =>
        {
            var (mu, lv) = (t[0].Chunk(2, dim: 1)[0], t[0].Chunk(2, dim: 1)[1]);
            return mu.Mul(lv.Exp());
        }, [x]);
    }

    [Fact]
    public void ArenaStepsGiveTheSameGradientsAndStopAllocating()
    {
        var g = new Generator(55);
        var x = GradCheck.Param(g, 6, 8);
        var w = GradCheck.Param(g, 6, 8);
        var target = Tensor.Uniform(g, 0f, 1f, 6, 8);
        var arena = new TensorArena();
        float[]? first = null;
        long allocated = 0;
        for (int step = 0; step < 5; step++)
        {
            x.ZeroGrad();
            w.ZeroGrad();
            var gen = new Generator(99);
            long before = GC.GetAllocatedBytesForCurrentThread();
            using (arena.Step()) Step(x, w, target, gen);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            var grad = x.Grad!.ToArray().Concat(w.Grad!.ToArray()).ToArray();
            first ??= grad;
            Assert.Equal(first, grad);
        }
        Assert.Equal(0, allocated);
    }

    private static void Step(Tensor x, Tensor w, Tensor target, Generator gen)
    {
        var h = Tensor.Concat([x.Relu(), w.Tanh()], 1);                    // (6,16)
        var a = h.Narrow(1, 0, 8).Softplus();
        var b = h.Narrow(1, 8, 8).LeakyRelu(0.1f).Sigmoid();
        var d = Functional.Dropout(a.Mul(b), 0.25f, true, gen);
        var loss = Functional.BinaryCrossEntropyWithLogits(d, target)
            .Add(Functional.MseLoss(x.Exp(), w.Square(), Reduction.Sum))
            .Add(Functional.GaussianNllLoss(a, b, target, Reduction.Mean));
        loss.Backward();
    }

    private static int[] Unravel(int flat, int[] shape)
    {
        var idx = new int[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }
}
