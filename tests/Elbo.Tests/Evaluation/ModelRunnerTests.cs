using Elbo.Data;
using Elbo.Distributions;
using Elbo.Evaluation;
using Elbo.Models;

namespace Elbo.Tests.Evaluation;

public class ModelRunnerTests
{
    private static readonly DataShape Shape = DataShape.Grey(8, 8);

    private static LatentVariableModel Model(string kind, int classes = 0) =>
        ModelRegistry.Create(new ModelOptions(kind, Shape, 3, [16], [4, 8], Classes: classes), new Generator(5));

    private static Dataset Data(int n, int classes = 0)
    {
        var values = new float[n * Shape.Features];
        new Generator(9).FillUniform(values);
        var labels = Enumerable.Range(0, n).Select(i => classes > 0 ? i % classes : 0).ToArray();
        return new Dataset("runner", values, labels, Shape, "as given");
    }

    [Theory]
    [InlineData("mlp", 0)]
    [InlineData("conv", 0)]
    [InlineData("ae", 0)]
    [InlineData("cvae", 3)]
    public void EncodeAndDecodeGiveTheLibrarysNumbersAtEveryBatchSize(string kind, int classes)
    {
        var model = Model(kind, classes);
        var runner = new ModelRunner(model);
        int features = Shape.Features, latent = model.Latent;
        foreach (int n in new[] { 1, 7, 1, 32 })          // a batch size again after another reuses its buffers right
        {
            var data = Data(n, classes);
            var labels = classes > 0 ? data.Labels.ToArray() : [];
            var codes = LatentCodes.Encode(model, data);
            var location = new float[n * latent];
            var logVar = model.Posterior.HasDensity ? new float[n * latent] : [];
            runner.Encode(data.ToArray(), n, location, logVar, labels);
            Assert.Equal(codes.Mu, location);
            if (model.Posterior.HasDensity) Assert.Equal(codes.Parameter(1), logVar);

            var z = new float[n * latent];
            new Generator((ulong)n).FillNormal(z);
            var mean = new float[n * features];
            runner.Decode(z, n, mean, labels);
            Assert.Equal(LatentDecoding.Means(model, z, n, labels), mean);
        }
    }

    [Theory]
    [InlineData("mlp", 0)]
    [InlineData("cvae", 3)]
    [InlineData("ae", 0)]
    public void ScoresAreThoseOfExampleScoresForTheSameSeed(string kind, int classes)
    {
        var model = Model(kind, classes);
        var runner = new ModelRunner(model);
        foreach (int n in new[] { 5, 1, 5 })
        {
            var data = Data(n, classes);
            var expected = ExampleScores.Compute(model, data, k: 40, seed: 3);
            var negElbo = new double[n];
            var negLogPx = new double[n];
            bool density = runner.Score(data.ToArray(), n, 40, new Generator(3), negElbo, negLogPx, classes > 0 ? data.Labels.ToArray() : []);
            Assert.Equal(expected.NegLogPx is not null, density);
            Assert.Equal(expected.NegElbo, negElbo);
            if (density) Assert.Equal(expected.NegLogPx, negLogPx);
        }
    }

    [Fact]
    public void TheSteadyStateAllocatesNothingForDecodesAndScoresAndOnlyThePosteriorObjectForEncodes()
    {
        var model = Model("mlp");
        var runner = new ModelRunner(model);
        int n = 16, latent = model.Latent, features = Shape.Features;
        var x = Data(n).ToArray();
        var z = new float[n * latent];
        var mu = new float[n * latent];
        var logVar = new float[n * latent];
        var mean = new float[n * features];
        var negElbo = new double[n];
        var negLogPx = new double[n];
        var g = new Generator(1);
        long Allocated(Action call)
        {
            for (int i = 0; i < 3; i++) call();          // warm: buffers grown, code jitted
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++) call();
            return (GC.GetAllocatedBytesForCurrentThread() - before) / 20;
        }
        Assert.Equal(0, Allocated(() => runner.Decode(z, n, mean)));
        Assert.InRange(Allocated(() => runner.Encode(x, n, mu, logVar)), 0, 128);     // the Posterior object the model returns
        Assert.InRange(Allocated(() => runner.Score(x, n, 8, g, negElbo, negLogPx)), 0, 128);
    }

    [Fact]
    public void WrongSizesAndMissingLabelsAreArgumentErrors()
    {
        var model = Model("mlp");
        var runner = new ModelRunner(model);
        var mean = new float[2 * Shape.Features];
        Assert.Contains("z holds 5 values", Assert.Throws<ArgumentException>(() => runner.Decode(new float[5], 2, mean)).Message);
        Assert.Contains("mean holds", Assert.Throws<ArgumentException>(() => runner.Decode(new float[6], 2, new float[3])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => runner.Decode([], 0, []));
        var ae = new ModelRunner(Model("ae"));
        Assert.Contains("no log-variance", Assert.Throws<ArgumentException>(() => ae.Encode(new float[Shape.Features], 1, new float[3], new float[3])).Message);
        var cvae = new ModelRunner(Model("cvae", 3));
        Assert.Contains("one label per example", Assert.Throws<ArgumentException>(() => cvae.Decode(new float[3], 1, new float[Shape.Features])).Message);
        Assert.Contains("label 3 is not a class", Assert.Throws<ArgumentException>(() => cvae.Decode(new float[3], 1, new float[Shape.Features], [3])).Message);
    }
}
