using Elbo.Data;
using Elbo.Distributions;
using Elbo.Engine.Autograd;
using Elbo.Engine.Optim;
using Elbo.Evaluation;
using Elbo.Models;
using Elbo.Objectives;

namespace Elbo.Tests.Models;

public class ConditionalVaeTests
{
    private static readonly DataShape Vectors = DataShape.Table(6);

    private static LatentVariableModel Cvae(int classes = 3, int latent = 2, string likelihood = "bernoulli", ulong seed = 1) =>
        ModelRegistry.Create(new ModelOptions("cvae", Vectors, latent, [16], [], likelihood, Classes: classes), new Generator(seed));

    [Fact]
    public void TheFirstLayersTakeTheOneHotBesideTheInputAndTheCode()
    {
        var model = Cvae(classes: 10, latent: 20);
        var shapes = model.NamedParameters().ToDictionary(p => p.Key, p => Shapes.Format(p.Value.Shape));
        Assert.Equal("(16,16)", shapes["encoder.0.weight"]);      // 6 inputs + 10 classes
        Assert.Equal("(16,30)", shapes["decoder.0.weight"]);      // 20 latent + 10 classes
        Assert.Equal("(20,16)", shapes["fc_var.weight"]);
        Assert.True(model.IsConditional);
        Assert.Equal(10, model.Classes);
        Assert.Equal(PosteriorFamily.DiagonalGaussian, model.Posterior);
    }

    [Fact]
    public void UnconditionalModelsHaveNoClassesAndIgnoreLabels()
    {
        var vae = ModelRegistry.Create(new ModelOptions("mlp", Vectors, 2, [16], []), new Generator(1));
        Assert.False(vae.IsConditional);
        Assert.Empty(vae.LabelsInTurn(5));
        var x = Tensor.Uniform(new Generator(2), 0f, 1f, 3, 6);
        Assert.Equal(vae.Reconstruct(x).ToArray(), vae.Reconstruct(x, [7, -1, 2]).ToArray());
        Assert.Throws<InvalidOperationException>(() => vae.LabelsByClass(2));
    }

    [Theory]
    [InlineData(new int[0], "needs the class label of each example")]
    [InlineData(new[] { 0, 1 }, "2 labels for a batch of 3")]
    [InlineData(new[] { 0, 3, 1 }, "label 3 is not one of the model's 3 classes")]
    [InlineData(new[] { 0, -1, 1 }, "example 1 has no label")]
    public void LabelsMustBeThereAndBeClasses(int[] labels, string expected)
    {
        var model = Cvae();
        var x = Tensor.Uniform(new Generator(2), 0f, 1f, 3, 6);
        Assert.Contains(expected, Assert.ThrowsAny<ArgumentException>(() => model.Encode(x, labels)).Message);
        Assert.Contains(expected, Assert.ThrowsAny<ArgumentException>(() => model.Decode(Tensor.Zeros(3, 2), labels)).Message);
    }

    [Fact]
    public void TheLabelOfARowChangesThatRowAlone()
    {
        var model = Cvae();
        var z = Tensor.Randn(new Generator(4), 3, 2);
        var a = model.Decode(z, [0, 1, 2]).ToArray();
        var b = model.Decode(z, [0, 2, 2]).ToArray();
        int d = 6;
        Assert.Equal(a[..d], b[..d]);
        Assert.Equal(a[(2 * d)..], b[(2 * d)..]);
        Assert.NotEqual(a[d..(2 * d)], b[d..(2 * d)]);
    }

    [Fact]
    public void OnlyTheColumnsOfTheClassesInTheBatchGetAGradient()
    {
        var model = Cvae(classes: 4);
        var x = Tensor.Uniform(new Generator(5), 0f, 1f, 4, 6);
        model.Loss(x, new ElboObjective(), 1f, new Generator(6), [1, 3, 3, 1]).Objective.Backward();
        foreach (var (name, inputs) in new[] { ("encoder.0.weight", 6), ("decoder.0.weight", 2) })
        {
            var w = model.NamedParameters().Single(p => p.Key == name).Value;
            var grad = w.Grad!.ToArray();
            int columns = w.Dim(1);
            double Column(int c) => Enumerable.Range(0, w.Dim(0)).Sum(r => Math.Abs((double)grad[r * columns + c]));
            Assert.Equal(0, Column(inputs + 0));
            Assert.Equal(0, Column(inputs + 2));
            Assert.True(Column(inputs + 1) > 0, name);
            Assert.True(Column(inputs + 3) > 0, name);
        }
    }

    [Fact]
    public void SamplingDrawsTheChosenClassesOrEveryClassInTurn()
    {
        var model = Cvae(classes: 3);
        Assert.Equal([0, 1, 2, 0, 1], model.LabelsInTurn(5));
        Assert.Equal([0, 0, 1, 1, 2, 2], model.LabelsByClass(2));
        var inTurn = model.Sample(5, new Generator(8)).ToArray();
        var chosen = model.Sample(5, new Generator(8), [0, 1, 2, 0, 1]).ToArray();
        Assert.Equal(inTurn, chosen);
        Assert.NotEqual(inTurn, model.Sample(5, new Generator(8), [2, 2, 2, 2, 2]).ToArray());
    }

    [Fact]
    public void WithOneSampleTheIwaeBoundIsTheMonteCarloElboOfAConditionalModel()
    {
        var model = Cvae();
        var x = Tensor.Uniform(new Generator(2), 0f, 1f, 5, 6);
        int[] labels = [2, 0, 1, 1, 0];
        var iwae = model.Loss(x, new IwaeObjective(1), 1f, new Generator(9), labels);
        var elbo = model.Loss(x, new ElboObjective(KlEstimator.MonteCarlo), 1f, new Generator(9), labels);
        Assert.Equal(elbo.Objective.Item(), iwae.Objective.Item(), 4);
        Assert.True(float.IsFinite(model.Loss(x, new IwaeObjective(4), 1f, new Generator(9), labels).Objective.Item()));
    }

    // Three classes whose examples are three fixed binary patterns: a conditional model can put the class in its
    // label and needs no code at all, so after training its samples of a class are that class's pattern.
    [Fact]
    public void ItLearnsToDrawTheClassItIsGiven()
    {
        float[][] patterns = [[1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0], [0, 0, 0, 0, 1, 1]];
        int n = 96;
        var values = new float[n * 6];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 3;
            patterns[i % 3].CopyTo(values, i * 6);
        }
        var model = Cvae(seed: 3);
        var adam = new Adam(model.Parameters(), 0.01);
        var objective = new ElboObjective();
        var x = Tensor.FromArray(values, n, 6);
        var noise = new Generator(11);
        for (int step = 0; step < 300; step++)
        {
            adam.ZeroGrad();
            model.Loss(x, objective, 1f, noise, labels).Objective.Backward();
            adam.Step();
        }
        model.Eval();
        using (GradMode.NoGrad())
            for (int c = 0; c < 3; c++)
            {
                var samples = model.Sample(20, new Generator(12), Enumerable.Repeat(c, 20).ToArray()).ToArray();
                for (int i = 0; i < 20; i++)
                    for (int j = 0; j < 6; j++)
                        Assert.True(Math.Abs(samples[i * 6 + j] - patterns[c][j]) < 0.2, $"class {c}, sample {i}, feature {j}: {samples[i * 6 + j]}");
            }
    }

    [Fact]
    public void EvaluationEncodesAndWeighsWithEachExamplesLabel()
    {
        var model = Cvae(classes: 3);
        var data = new Dataset("t", Tensor.Uniform(new Generator(1), 0f, 1f, 12, 6).ToArray(), [.. Enumerable.Range(0, 12).Select(i => i % 3)],
            Vectors, "none");
        var codes = LatentCodes.Encode(model, data);
        var x = Tensor.FromArray(data.ToArray(), 12, 6);
        var q = (DiagonalGaussianPosterior)model.Encode(x, data.Labels);
        Assert.Equal(q.Mu.ToArray(), codes.Mu);
        var result = Evaluator.Run(model, data, new EvalOptions { K = 20, RefineSteps = 3 });
        Assert.True(double.IsFinite(result.ImportanceSampled!.NegLogPx));
        Assert.True(result.ImportanceSampled.NegLogPx <= result.NegElbo + 1.0);
        Assert.True(double.IsFinite(result.Amortization!.Gap));
    }

    [Fact]
    public void ItNeedsLabelledData()
    {
        var e = Assert.Throws<SettingException>(() =>
            ModelRegistry.Create(new ModelOptions("cvae", Vectors, 2, [16], [], Classes: 0), new Generator(1)));
        Assert.Equal("model", e.Setting);
        Assert.Contains("labelled data", e.Message);
    }

    [Fact]
    public void TheClassesOfTheDataAreTheirLargestLabelPlusOneAndNoneWithoutLabels()
    {
        Dataset Split(int[]? labels) => new("s", new float[3 * 6], labels, Vectors, "none");
        Assert.Equal(8, new DatasetSplits("d", "/", Split([0, 7, 2]), Split([1, 1, 3])).Classes);
        Assert.Null(new DatasetSplits("d", "/", Split([0, 7, 2]), Split(null)).Classes);
        Assert.Null(new DatasetSplits("d", "/", Split([-1, -1, -1]), Split([-1, -1, -1])).Classes);
    }
}
