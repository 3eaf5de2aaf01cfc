using Elbo.Data;
using Elbo.Engine.Optim;
using Elbo.Evaluation;
using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Objectives;

namespace Elbo.Tests.Evaluation;

public class ImputationTests
{
    // Two numeric columns that are the same value (b = a + small noise) and a categorical that is a's sign: a model
    // trained on complete rows must fill b from a and the category from a far better than the column means do.
    [Fact]
    public void MissingValuesAreFilledFromTheObservedOnes()
    {
        var layout = new TabularLayout(2, 0, [2]);       // values a, b, one-hot (2); mask a, b, c
        int n = 512, width = layout.InputWidth;
        var rng = new Generator(4);
        var values = new float[n * width];
        var truth = new float[n];
        for (int i = 0; i < n; i++)
        {
            var row = values.AsSpan(i * width, width);
            float a = rng.NextNormal();
            row[0] = a;
            row[1] = a + 0.05f * rng.NextNormal();
            row[a > 0 ? 3 : 2] = 1f;
            row[4] = row[5] = row[6] = 1f;
            truth[i] = a;
        }
        var shape = DataShape.Table(width);
        var model = ModelRegistry.Create(new ModelOptions("mlp", shape, 2, [32], [], "tabular", Table: layout), new Generator(1));
        var adam = new Adam(model.Parameters(), 0.005);
        var x = Tensor.FromArray(values, n, width);
        var noise = new Generator(2);
        for (int step = 0; step < 600; step++)
        {
            adam.ZeroGrad();
            model.Loss(x, new ElboObjective(), 1f, noise).Objective.Backward();
            adam.Step();
        }
        // hide b and the category of every row
        var hidden = (float[])values.Clone();
        for (int i = 0; i < n; i++)
        {
            var row = hidden.AsSpan(i * width, width);
            row[1] = row[2] = row[3] = 0f;
            row[5] = row[6] = 0f;
        }
        var data = new Dataset("t", hidden, null, shape, "none");
        var filled = Imputation.ConditionalMeans(model, data, k: 50, new Generator(3), count: 200);
        int means = layout.ValueWidth;
        double error = 0, baseline = 0;
        int right = 0;
        for (int i = 0; i < 200; i++)
        {
            var row = filled.AsSpan(i * means, means);
            error += Math.Abs(row[1] - truth[i]);
            baseline += Math.Abs(truth[i]);                    // the column mean (0) as the imputation
            right += (row[3] > row[2]) == (truth[i] > 0) ? 1 : 0;
            Assert.Equal(1f, row[2] + row[3], 4);              // categorical probabilities
        }
        Assert.True(error < 0.4 * baseline, $"mean |b̂ − a| {error / 200:F3} against {baseline / 200:F3} for the column mean");
        Assert.True(right >= 170, $"{right} of 200 signs right");
    }

    [Fact]
    public void AnAutoencoderHasNoDensityToWeighBy()
    {
        var shape = DataShape.Table(4);
        var ae = ModelRegistry.Create(new ModelOptions("ae", shape, 2, [8], []), new Generator(1));
        var data = new Dataset("t", new float[8], null, shape, "none");
        Assert.Contains("no", Assert.Throws<ArgumentException>(() => Imputation.ConditionalMeans(ae, data, 5, new Generator(1))).Message);
    }
}
