using Elbo.Data;
using Elbo.Likelihoods;
using Elbo.Models;

namespace Elbo.Tests.Likelihoods;

public class TabularLikelihoodTests
{
    // one numeric, one boolean, a categorical of 3 and one of 2: values 1 + 1 + 5 = 7, mask 4, input 11, output 2 + 1 + 5 = 8
    private static readonly TabularLayout Layout = new(1, 1, [3, 2]);

    private static double LogSumExp(params double[] v)
    {
        double m = v.Max();
        return m + Math.Log(v.Sum(a => Math.Exp(a - m)));
    }

    private static double Softplus(double v) => Math.Log(1 + Math.Exp(v));

    // −log N(x; μ, σ²) with log σ² floored as the likelihood floors it
    private static double GaussianNll(double x, double mu, double rawLogVar)
    {
        double floor = Math.Log(TabularLikelihood.MinSigma * (double)TabularLikelihood.MinSigma);
        double logVar = floor + Softplus(rawLogVar - floor);
        return 0.5 * (Math.Log(2 * Math.PI) + logVar + (x - mu) * (x - mu) / Math.Exp(logVar));
    }

    private static double BceWithLogits(double logit, double x) => Math.Max(logit, 0) - logit * x + Math.Log(1 + Math.Exp(-Math.Abs(logit)));

    private static (Tensor Output, Tensor X) Example()
    {
        // output: μ, log σ², boolean logit, 3 logits, 2 logits
        var output = Tensor.FromArray([
            0.5f, -1f, 0.3f, 1f, -2f, 0.5f, 0.2f, -0.4f,
            -1f, 0.7f, -2f, 0f, 0f, 3f, 1.5f, 1f], 2, 8);
        // row 0 fully observed: x = 1.2, true, category 2 of 3, category 0 of 2
        // row 1: the numeric and the second categorical are missing (0 in the values, 0 in the mask)
        var x = Tensor.FromArray([
            1.2f, 1f, 0f, 0f, 1f, 1f, 0f, 1f, 1f, 1f, 1f,
            0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f, 1f, 1f, 0f], 2, 11);
        return (output, x);
    }

    [Fact]
    public void EachObservedColumnAddsItsOwnTermAndMissingOnesNothing()
    {
        var likelihood = new TabularLikelihood(Layout);
        var (output, x) = Example();
        var perColumn = likelihood.NegLogLikelihoodPerColumn(output, x).ToArray();
        double[] row0 =
        [
            GaussianNll(1.2, 0.5, -1), BceWithLogits(0.3, 1),
            LogSumExp(1, -2, 0.5) - 0.5, LogSumExp(0.2, -0.4) - 0.2,
        ];
        double[] row1 = [0, BceWithLogits(-2, 0), LogSumExp(0, 0, 3) - 0, 0];
        for (int c = 0; c < 4; c++)
        {
            Assert.Equal(row0[c], perColumn[c], 4);
            Assert.Equal(row1[c], perColumn[4 + c], 4);
        }
        var perExample = likelihood.NegLogLikelihood(output, x).ToArray();
        Assert.Equal(row0.Sum(), perExample[0], 4);
        Assert.Equal(row1.Sum(), perExample[1], 4);
        Assert.Equal(row0.Sum() + row1.Sum(), likelihood.NegLogLikelihoodSum(output, x).Item(), 3);
    }

    [Fact]
    public void AMissingValueNeitherCountsNorPullsOnTheDecoder()
    {
        var likelihood = new TabularLikelihood(Layout);
        var (output, x) = Example();
        float before = likelihood.NegLogLikelihoodSum(output, x).Item();
        x.Data[11] = 5f;            // row 1's missing numeric value changed
        Assert.Equal(before, likelihood.NegLogLikelihoodSum(output, x).Item());
        output.RequiresGrad = true;
        likelihood.NegLogLikelihoodSum(output, x).Backward();
        var grad = output.Grad!.ToArray();
        Assert.Equal(0f, grad[8 + 0]);                      // row 1's μ
        Assert.Equal(0f, grad[8 + 1]);                      // and log σ²
        Assert.Equal(0f, grad[8 + 6]);                      // row 1's second categorical
        Assert.Equal(0f, grad[8 + 7]);
        Assert.NotEqual(0f, grad[0]);
        Assert.NotEqual(0f, grad[8 + 3]);
    }

    [Fact]
    public void TheGradientMatchesFiniteDifferences()
    {
        var likelihood = new TabularLikelihood(Layout);
        var (output, x) = Example();
        output.RequiresGrad = true;
        likelihood.NegLogLikelihoodSum(output, x).Backward();
        var grad = output.Grad!.ToArray();
        const float h = 1e-2f;
        for (int i = 0; i < output.Numel; i++)
        {
            float keep = output.Data[i];
            output.Data[i] = keep + h;
            double up = likelihood.NegLogLikelihoodSum(output, x).Item();
            output.Data[i] = keep - h;
            double down = likelihood.NegLogLikelihoodSum(output, x).Item();
            output.Data[i] = keep;
            Assert.True(Math.Abs((up - down) / (2 * h) - grad[i]) < 2e-3, $"output {i}: numeric {(up - down) / (2 * h)}, backward {grad[i]}");
        }
    }

    [Fact]
    public void TheSigmaFloorKeepsAColumnOfRepeatedValuesFinite()
    {
        var likelihood = new TabularLikelihood(new TabularLayout(1, 0, []));
        var output = Tensor.FromArray([0f, -80f], 1, 2);
        var x = Tensor.FromArray([0f, 1f], 1, 2);
        // σ = 0.01 at most: −log N(0; 0, 0.01²) = ½ log 2π + log 0.01
        Assert.Equal(0.5 * Math.Log(2 * Math.PI) + Math.Log(0.01), likelihood.NegLogLikelihood(output, x).Item(), 3);
    }

    [Fact]
    public void TheMeanHoldsMeansAndProbabilities()
    {
        var likelihood = new TabularLikelihood(Layout);
        var (output, _) = Example();
        var mean = likelihood.Mean(output).ToArray();
        Assert.Equal(14, mean.Length);
        Assert.Equal(0.5f, mean[0]);
        Assert.Equal(1 / (1 + Math.Exp(-0.3)), mean[1], 5);
        Assert.Equal(1.0, mean[2] + mean[3] + mean[4], 5);
        Assert.Equal(Math.Exp(0.5 - LogSumExp(1, -2, 0.5)), mean[4], 5);
        Assert.Equal(1.0, mean[5] + mean[6], 5);
    }

    [Fact]
    public void DrawsFollowTheDistributionsTheOutputDescribes()
    {
        var likelihood = new TabularLikelihood(Layout);
        const int n = 20000;
        var one = Example().Output.ToArray()[..8];
        var output = Tensor.Zeros(n, 8);
        for (int i = 0; i < n; i++) one.CopyTo(output.Data.Slice(i * 8, 8));
        var draws = likelihood.Draw(output, new Generator(5));
        double sum = 0, squares = 0, trues = 0;
        var counts = new double[3];
        for (int i = 0; i < n; i++)
        {
            var row = draws.AsSpan(i * 7, 7);
            sum += row[0];
            squares += row[0] * row[0];
            trues += row[1];
            Assert.Equal(1f, row[2] + row[3] + row[4]);
            Assert.Equal(1f, row[5] + row[6]);
            for (int k = 0; k < 3; k++) counts[k] += row[2 + k];
        }
        double mean = sum / n, sd = Math.Sqrt(squares / n - mean * mean);
        Assert.Equal(0.5, mean, 1);
        Assert.Equal(Math.Exp(-0.5), sd, 1);                                  // log σ² = −1, far above the floor
        Assert.Equal(1 / (1 + Math.Exp(-0.3)), trues / n, 1);
        for (int k = 0; k < 3; k++)
            Assert.Equal(Math.Exp(new[] { 1.0, -2, 0.5 }[k] - LogSumExp(1, -2, 0.5)), counts[k] / n, 1);
    }

    [Fact]
    public void AModelOnATableDecodesToTheLayoutsWidth()
    {
        var model = ModelRegistry.Create(new ModelOptions("mlp", DataShape.Table(Layout.InputWidth), 2, [8], [], "tabular", Table: Layout),
            new Generator(1));
        var (_, x) = Example();
        Assert.Equal(new[] { 2, Layout.OutputWidth }, model.Forward(x).ShapeArray());
        Assert.True(float.IsFinite(model.Loss(x, new Elbo.Objectives.ElboObjective(), 1f, new Generator(2)).Objective.Item()));
    }

    [Fact]
    public void WithoutATableItIsASettingError()
    {
        var e = Assert.Throws<SettingException>(() => LikelihoodRegistry.Create("tabular"));
        Assert.Equal("likelihood", e.Setting);
        Assert.Throws<SettingException>(() => new TabularLikelihood(new TabularLayout(0, 0, [])));
        Assert.Throws<ArgumentException>(() => new TabularLikelihood(Layout).OutputFeatures(10));
    }
}
