using Elbo.Engine.Nn;
using Elbo.Engine.Optim;
using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Optim;

/// <summary>Loss-goes-down smoke tests that use only operations available now (Linear and x·x).</summary>
public class TrainingSmokeTests
{
    internal static (Tensor X, Tensor Y) SineData(int n)
    {
        var x = Tensor.Zeros(n, 1);
        var y = Tensor.Zeros(n, 1);
        for (int i = 0; i < n; i++)
        {
            float v = -1.5f + 3f * i / (n - 1);
            x.Data[i] = v;
            y.Data[i] = MathF.Sin(v);
        }
        return (x, y);
    }

    internal static float Train(Module model, Optimizer opt, Tensor x, Tensor y, int steps, out float initial)
    {
        initial = float.NaN;
        float loss = float.NaN;
        var arena = new TensorArena();
        for (int s = 0; s < steps; s++)
        {
            opt.ZeroGrad();
            using (arena.Step())
            {
                var d = model.Forward(x) - y;
                var l = (d * d).Mean();
                l.Backward();
                loss = l.Item();
            }
            if (s == 0) initial = loss;
            opt.Step();
        }
        return loss;
    }

    [Fact]
    public void AdamFitsASineWithLinearSquareLinear()
    {
        var g = new Generator(1);
        var model = new Sequential(new Linear(1, 16, g), new Square(), new Linear(16, 1, g));
        var (x, y) = SineData(64);
        float final = Train(model, new Adam(model.Parameters(), lr: 0.01), x, y, 200, out float initial);
        Assert.True(final < 0.1f * initial, $"loss {initial} → {final}");
    }

    [Fact]
    public void SgdWithMomentumLowersTheLoss()
    {
        var g = new Generator(2);
        var model = new Sequential(new Linear(1, 16, g), new Square(), new Linear(16, 1, g));
        var (x, y) = SineData(64);
        float final = Train(model, new SGD(model.Parameters(), lr: 0.02, momentum: 0.9), x, y, 200, out float initial);
        Assert.True(final < 0.2f * initial, $"loss {initial} → {final}");
    }
    [Fact]
    public void ATrainingStepInAnArenaAllocatesNothingInTheSteadyState()
    {
        var g = new Generator(3);
        var model = new Sequential(new Linear(1, 16, g), new Square(), new Linear(16, 1, g));
        var (x, y) = SineData(32);
        var opt = new Adam(model.Parameters(), lr: 0.01);
        var arena = new TensorArena();
        void Step()
        {
            opt.ZeroGrad();
            using (arena.Step())
            {
                var d = model.Forward(x) - y;
                (d * d).Mean().Backward();
            }
            GradClip.ClipGradNorm(opt.Parameters, 1f);
            opt.Step();
        }
        Assert.Equal(0, Allocations.Measure(Step));
    }
}
