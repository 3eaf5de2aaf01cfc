using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Autograd;

public class ElementwiseGradTests
{
    private static Tensor AwayFromZero(Generator g, params int[] shape)
    {
        // relu/leaky_relu have a kink at 0: keep samples at least 0.05 away so central differences are valid.
        var t = Tensor.Randn(g, shape);
        var d = t.Data;
        for (int i = 0; i < d.Length; i++) if (MathF.Abs(d[i]) < 0.05f) d[i] = d[i] < 0 ? -0.05f - d[i] : 0.05f + d[i];
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void ExpLogSqrtSquareGradientsMatchCentralDifferences()
    {
        var g = new Generator(21);
        var x = GradCheck.Param(g, 3, 5);
        var pos = GradCheck.Param(g, 0.5f, 3f, 3, 5);
        GradCheck.Check(t => t[0].Exp(), [x]);
        GradCheck.Check(t => t[0].Square(), [x]);
        GradCheck.Check(t => t[0].Log(), [pos]);
        GradCheck.Check(t => t[0].Sqrt(), [pos]);
    }

    [Fact]
    public void ActivationGradientsMatchCentralDifferences()
    {
        var g = new Generator(22);
        var x = AwayFromZero(g, 4, 7);
        GradCheck.Check(t => t[0].Relu(), [x]);
        GradCheck.Check(t => t[0].LeakyRelu(0.1f), [x]);
        GradCheck.Check(t => t[0].LeakyRelu(), [x]);
        GradCheck.Check(t => t[0].Sigmoid(), [x]);
        GradCheck.Check(t => t[0].Tanh(), [x]);
        GradCheck.Check(t => t[0].Softplus(), [x]);
    }

    [Fact]
    public void GradientsAccumulateWhenAnInputFeedsSeveralOps()
    {
        var g = new Generator(23);
        var x = AwayFromZero(g, 37);
        GradCheck.Check(t => t[0].Exp() * t[0].Relu() + t[0].Tanh() * t[0].Sigmoid(), [x]);
        GradCheck.Check(t => t[0].Softplus() + t[0].LeakyRelu(0.3f) + t[0].Square(), [x]);
        var pos = GradCheck.Param(g, 0.5f, 2f, 37);
        GradCheck.Check(t => t[0].Log() + t[0].Sqrt() * t[0].Exp(), [pos]);
    }

    [Fact]
    public void ForwardValuesMatchMathF()
    {
        var x = Tensor.FromArray([-2f, -0.5f, 0f, 0.5f, 3f]);
        var pos = Tensor.FromArray([0.25f, 1f, 4f]);
        void Same(Func<float, float> f, Tensor input, Tensor y)
        {
            for (int i = 0; i < input.Numel; i++) Assert.Equal(f(input.Data[i]), y.Data[i], 5);
        }
        Same(MathF.Exp, x, x.Exp());
        Same(MathF.Log, pos, pos.Log());
        Same(MathF.Sqrt, pos, pos.Sqrt());
        Same(v => v * v, x, x.Square());
        Same(v => MathF.Max(v, 0f), x, x.Relu());
        Same(v => v > 0 ? v : 0.2f * v, x, x.LeakyRelu(0.2f));
        Same(v => 1f / (1f + MathF.Exp(-v)), x, x.Sigmoid());
        Same(MathF.Tanh, x, x.Tanh());
        Same(v => MathF.Log(1f + MathF.Exp(v)), x, x.Softplus());
    }

    [Fact]
    public void SoftplusAndSigmoidStayFiniteForLargeInputs()
    {
        var x = Tensor.FromArray([-1e4f, -100f, -88f, 88f, 100f, 1e4f]);
        x.RequiresGrad = true;
        var y = x.Softplus() + x.Sigmoid() + x.Tanh();
        y.Sum().Backward();
        Assert.All(y.ToArray(), v => Assert.True(float.IsFinite(v)));
        Assert.All(x.Grad!.ToArray(), v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1e4f, x.Softplus().Data[5]);
        Assert.Equal(0f, x.Softplus().Data[0]);
    }

    [Fact]
    public void LargeTensorsUseTheParallelPathAndMatchSmallResults()
    {
        var g = new Generator(24);
        var x = Tensor.Randn(g, 300, 257);
        x.RequiresGrad = true;
        x.Softplus().Sum().Backward();
        var y = x.Softplus().Data;
        var dx = x.Grad!.Data;
        for (int i = 0; i < x.Numel; i += 997)
        {
            float v = x.Data[i];
            Assert.Equal(MathF.Max(v, 0) + MathF.Log(1 + MathF.Exp(-MathF.Abs(v))), y[i], 1e-5f);
            Assert.Equal(1f / (1f + MathF.Exp(-v)), dx[i], 1e-5f);
        }
    }
}
