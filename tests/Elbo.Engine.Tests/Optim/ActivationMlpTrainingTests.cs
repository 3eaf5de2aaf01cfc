using Elbo.Engine.Nn;
using Elbo.Engine.Optim;
using static Elbo.Engine.Tests.Optim.TrainingSmokeTests;

namespace Elbo.Engine.Tests.Optim;

/// <summary>Smoke tests: MLPs with Tanh and ReLU activations learn a sine with Adam.</summary>
public class ActivationMlpTrainingTests
{
    [Fact]
    public void AdamTrainsATanhMlpOnASine()
    {
        var g = new Generator(1);
        var model = new Sequential(new Linear(1, 32, g), new Tanh(), new Linear(32, 1, g));
        var (x, y) = SineData(64);
        float final = Train(model, new Adam(model.Parameters(), lr: 0.01), x, y, 200, out float initial);
        Assert.True(final < 0.05f * initial, $"loss {initial} → {final}");
    }

    [Fact]
    public void AdamTrainsAReluMlpOnASine()
    {
        var g = new Generator(2);
        var model = new Sequential(new Linear(1, 32, g), new ReLU(), new Linear(32, 1, g));
        var (x, y) = SineData(64);
        float final = Train(model, new Adam(model.Parameters(), lr: 0.01), x, y, 200, out float initial);
        Assert.True(final < 0.1f * initial, $"loss {initial} → {final}");
    }
}
