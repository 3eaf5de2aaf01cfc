using Elbo.Engine.Nn;
using Elbo.Engine.Optim;
using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Optim;

public class OptimizerStateDictTests
{
    private static float TrainStep(Module model, Optimizer opt, Tensor x)
    {
        opt.ZeroGrad();
        var y = model.Forward(x);
        var loss = (y * y).Mean();
        loss.Backward();
        opt.Step();
        return loss.Item();
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("sgd")]
    public void ResumingFromModelAndOptimizerStateDictsContinuesIdentically(string kind)
    {
        Optimizer Make(Module m) => kind switch
        {
            "adam" => new Adam(m.Parameters(), lr: 0.01),
            "adamw" => new AdamW(m.Parameters(), lr: 0.01),
            _ => new SGD(m.Parameters(), lr: 0.01, momentum: 0.9),
        };
        var x = Tensor.Randn(new Generator(9), 6, 4);
        var original = new TinyAutoencoder(new Generator(1));
        var opt = Make(original);
        for (int i = 0; i < 3; i++) TrainStep(original, opt, x);

        var resumed = new TinyAutoencoder(new Generator(2));
        var resumedOpt = Make(resumed);
        resumed.LoadStateDict(original.StateDict());
        resumedOpt.LoadStateDict(opt.StateDict());
        Assert.Equal(3, resumedOpt.StepCount);

        for (int i = 0; i < 2; i++) Assert.Equal(TrainStep(original, opt, x), TrainStep(resumed, resumedOpt, x));
        foreach (var (name, t) in original.StateDict()) Assert.Equal(t.ToArray(), resumed.StateDict()[name].ToArray());
    }

    [Fact]
    public void AdamStateHasMomentsAndStepPerParameterLikePyTorch()
    {
        var p = Tensor.FromArray([1f, 2f]);
        var adam = new Adam([p]);
        p.Grad = Tensor.FromArray([0.5f, 0.5f]);
        adam.Step();
        var dict = adam.StateDict();
        Assert.Equal(new[] { "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.step", "step_count" }, dict.Keys);
        Assert.Equal(new[] { 0.05f, 0.05f }, dict["state.0.exp_avg"].ToArray(), new FloatTolerance(1e-7f));
    }

    [Fact]
    public void AShapeMismatchNamesTheKeyAndBothShapes()
    {
        var a = Tensor.Zeros(3);
        var adam = new Adam([a]);
        a.Grad = Tensor.Ones(3);
        adam.Step();
        var dict = adam.StateDict();
        var other = new Adam([Tensor.Zeros(2)]);
        var ex = Assert.Throws<ArgumentException>(() => other.LoadStateDict(dict));
        Assert.Contains("size mismatch for state.0.exp_avg: the checkpoint has shape (3,), the parameter has shape (2,)", ex.Message);
    }

    [Fact]
    public void UnknownKeysAreRejected()
    {
        var sgd = new SGD([Tensor.Zeros(2)], momentum: 0.9);
        var dict = new Dictionary<string, Tensor> { ["state.5.momentum_buffer"] = Tensor.Zeros(2) };
        var ex = Assert.Throws<ArgumentException>(() => sgd.LoadStateDict(dict));
        Assert.Contains("unexpected key(s): state.5.momentum_buffer", ex.Message);
    }

    private sealed class FloatTolerance(float tol) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tol;
        public int GetHashCode(float obj) => 0;
    }
}
