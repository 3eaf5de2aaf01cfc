using Elbo.Data;
using Elbo.Engine.Optim;
using Elbo.Models;
using Elbo.Objectives;
using Elbo.Tests.Evaluation;

namespace Elbo.Tests.Objectives;

public class IwaeObjectiveTests
{
    [Fact]
    public void WithOneSampleTheBoundIsTheMonteCarloElbo()
    {
        var lg = new LinearGaussian();
        lg.SetShiftedPosterior();
        var data = lg.Sample(16, 4);
        var x = Tensor.FromArray(data.ToArray(), 16, LinearGaussian.D);
        // the same noise: both objectives draw (B, L) = (B, 1, L) standard normals from equal generators
        var iwae = lg.Model.Loss(x, new IwaeObjective(1), 1f, new Generator(9));
        var elbo = lg.Model.Loss(x, new ElboObjective(KlEstimator.MonteCarlo), 1f, new Generator(9));
        Assert.Equal(elbo.Objective.Item(), iwae.Objective.Item(), 3);
        Assert.Equal(iwae.Objective.Item(), iwae.Bound!.Value);
        Assert.Null(elbo.Bound);
    }

    [Fact]
    public void TheBoundTightensWithKTowardsTheExactLogLikelihood()
    {
        var lg = new LinearGaussian();
        lg.SetShiftedPosterior();
        var data = lg.Sample(400, 5);
        var x = Tensor.FromArray(data.ToArray(), 400, LinearGaussian.D);
        double exact = -lg.LogPx(data).Average();
        double Bound(int k) => lg.Model.Loss(x, new IwaeObjective(k), 1f, new Generator(21)).Bound!.Value;
        double b1 = Bound(1), b5 = Bound(5), b50 = Bound(50);
        Assert.True(b1 > b5 && b5 > b50, $"−L_1 {b1}, −L_5 {b5}, −L_50 {b50}");
        Assert.True(b50 >= exact - 0.05, $"−L_50 {b50} below −log p(x) {exact}");
        Assert.True(b50 - exact < 0.5 * (b1 - exact), $"−L_50 {b50} did not close half the gap of −L_1 {b1} to {exact}");
    }

    [Fact]
    public void ItReportsTheElboHalvesBesideTheBound()
    {
        var lg = new LinearGaussian();
        var data = lg.Sample(32, 6);
        var x = Tensor.FromArray(data.ToArray(), 32, LinearGaussian.D);
        var loss = lg.Model.Loss(x, new IwaeObjective(5), 1f, new Generator(2));
        var q = (Elbo.Distributions.DiagonalGaussianPosterior)lg.Model.Encode(x);
        double kl = KlDivergence.ClosedForm(q.Mu, q.LogVar).ToArray().Sum(v => (double)v) / 32;
        Assert.Equal(kl, loss.Kl, 4);
        Assert.True(loss.Bound!.Value <= loss.NegativeElbo + 0.5, "the bound is tighter than the ELBO on average");
    }

    [Fact]
    public void TrainingOnTheBoundLowersIt()
    {
        var input = DataShape.Grey(4, 4);
        var g = new Generator(5);
        var model = ModelRegistry.Create(new ModelOptions("mlp", input, 2, [16], [], "bernoulli"), g);
        var x = Tensor.Zeros(16, input.Features);
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < input.Features; j++) x[i, j] = (j + i % 2 * 3) % 5 < 2 ? 0.9f : 0.1f;
        var adam = new Adam(model.Parameters(), 1e-2);
        var objective = new IwaeObjective(4);
        var arena = new TensorArena();
        float first = 0, last = 0;
        for (int step = 0; step < 100; step++)
        {
            adam.ZeroGrad();
            using (arena.Step())
            {
                var loss = model.Loss(x, objective, 1f, g);
                loss.Objective.Backward();
                if (step == 0) first = loss.Bound!.Value;
                last = loss.Bound!.Value;
            }
            adam.Step();
        }
        Assert.True(last < first - 0.1f * Math.Abs(first), $"−L_4 went from {first} to {last}");
    }

    [Fact]
    public void AnAutoencoderCannotTrainOnIt()
    {
        var ae = ModelRegistry.Create(new ModelOptions("ae", DataShape.Table(6), 2, [5], []), new Generator(1));
        var e = Assert.Throws<SettingException>(() => new IwaeObjective(3).Check(ae));
        Assert.Equal("objective", e.Setting);
        Assert.Throws<SettingException>(() => new IwaeObjective(0));
    }
}
