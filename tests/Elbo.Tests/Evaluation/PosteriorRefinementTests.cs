using Elbo.Evaluation;

namespace Elbo.Tests.Evaluation;

public class PosteriorRefinementTests
{
    [Fact]
    public void RefinementNeverLowersTheElboAndImprovesAPoorEncoder()
    {
        var lg = new LinearGaussian();                  // random fc_mu, fc_var against a fixed decoder
        var data = lg.Sample(30, seed: 29);
        var codes = LatentCodes.Encode(lg.Model, data);
        var decoderBefore = lg.Model.Decoder.Parameters().Select(p => p.ToArray()).ToArray();
        var r = PosteriorRefinement.Run(lg.Model, data, codes, steps: 200, learningRate: 0.05, new Generator(3), batchSize: 8);
        for (int i = 0; i < data.Count; i++) Assert.True(r.RefinedNegElbo[i] <= r.AmortizedNegElbo[i], $"example {i}");
        double amortized = r.AmortizedNegElbo.Average(), refined = r.RefinedNegElbo.Average();
        double exact = -lg.LogPx(data).Average();
        Assert.True(amortized - refined > 1, $"refinement gained only {amortized - refined} nats ({amortized} → {refined})");
        Assert.True(refined > exact - 0.2, $"refined −ELBO {refined} below −log p(x) {exact}: beyond Monte Carlo noise");
        var decoderAfter = lg.Model.Decoder.Parameters().Select(p => p.ToArray()).ToArray();
        Assert.Equal(decoderBefore, decoderAfter);
        Assert.All(lg.Model.Parameters(), p => Assert.True(p.RequiresGrad));   // restored afterwards
    }

    [Fact]
    public void RefinementOfTheExactPosteriorHasNoGapAndZeroStepsChangeNothing()
    {
        var lg = new LinearGaussian();
        lg.SetExactPosterior();
        var data = lg.Sample(10, seed: 31);
        var codes = LatentCodes.Encode(lg.Model, data);
        var r = PosteriorRefinement.Run(lg.Model, data, codes, steps: 50, learningRate: 0.01, new Generator(5));
        Assert.True(r.AmortizedNegElbo.Average() - r.RefinedNegElbo.Average() < 0.05);
        var none = PosteriorRefinement.Run(lg.Model, data, codes, steps: 0, learningRate: 0.01, new Generator(5));
        Assert.Equal(none.AmortizedNegElbo, none.RefinedNegElbo);
    }

    [Fact]
    public void EvaluatorReportsTheAmortizationGapOnlyWhenAsked()
    {
        var lg = new LinearGaussian();
        var data = lg.Sample(12, seed: 37);
        Assert.Null(Evaluator.Run(lg.Model, data, new EvalOptions { K = 5 }).Amortization);
        var a = Evaluator.Run(lg.Model, data, new EvalOptions { K = 5, RefineSteps = 30, RefineLearningRate = 0.05 }).Amortization!;
        Assert.Equal(30, a.Steps);
        Assert.Equal(a.AmortizedNegElbo - a.RefinedNegElbo, a.Gap, 9);
        Assert.True(a.Gap > 0);
    }
}
