using Elbo.Data;
using Elbo.Distributions;
using Elbo.Engine.Optim;
using Elbo.Models;
using Elbo.Objectives;

namespace Elbo.Tests.Models;

public class VaeTests
{
    private static readonly DataShape Mnist = new(1, 28, 28);

    [Fact]
    public void DefaultMlpIsPytorchExamplesVae()
    {
        var vae = ModelRegistry.Create(ModelOptions.DefaultMlp(Mnist), new Generator(1));
        var names = vae.NamedParameters().Select(p => $"{p.Key}{Shapes.Format(p.Value.Shape)}").ToArray();
        Assert.Equal(new[]
        {
            "encoder.0.weight(400,784)", "encoder.0.bias(400,)", "fc_mu.weight(20,400)", "fc_mu.bias(20,)",
            "fc_var.weight(20,400)", "fc_var.bias(20,)", "decoder.0.weight(400,20)", "decoder.0.bias(400,)",
            "decoder.2.weight(784,400)", "decoder.2.bias(784,)",
        }, names);
        Assert.Equal(652_824, vae.ParameterCount);
    }

    [Theory]
    [InlineData(1, 28, 28, new[] { 32, 64 }, "bernoulli")]
    [InlineData(3, 64, 64, new[] { 8, 8, 8, 8, 8 }, "gaussian-learned")]
    public void ConvShapesFollowTheInput(int c, int h, int w, int[] channels, string likelihood)
    {
        var input = DataShape.Image(c, h, w);
        var vae = ModelRegistry.Create(new ModelOptions("conv", input, 4, [], channels, likelihood), new Generator(2));
        var x = Tensor.Uniform(new Generator(3), 0f, 1f, 2, input.Features);
        var q = Assert.IsType<DiagonalGaussianPosterior>(vae.Encode(x));
        var (mu, logVar) = (q.Mu, q.LogVar);
        Assert.Equal(new[] { 2, 4 }, mu.ShapeArray());
        Assert.Equal(new[] { 2, 4 }, logVar.ShapeArray());
        Assert.Equal(new[] { 2, vae.Likelihood.ParametersPerFeature * input.Features }, vae.Decode(mu).ShapeArray());
        Assert.Equal(new[] { 2, input.Features }, vae.Reconstruct(x).ShapeArray());
    }

    [Fact]
    public void ConvRejectsASizeItCannotReconstruct()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            ModelRegistry.Create(new ModelOptions("conv", Mnist, 16, [], [32, 64, 128]), new Generator(1)));
        Assert.Contains("28x28", e.Message);
        Assert.Contains("32x32", e.Message);
    }

    [Theory]
    [InlineData("transformer", 20, "model 'transformer' is unknown")]
    [InlineData("mlp", 0, "latent")]
    public void BadOptionsAreRejected(string kind, int latent, string expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            ModelRegistry.Create(new ModelOptions(kind, Mnist, latent, [400], [32, 64]), new Generator(1)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AutoencoderHasNoVarianceHeadAndNoKl()
    {
        var ae = ModelRegistry.Create(new ModelOptions("ae", DataShape.Table(6), 2, [5], []), new Generator(1));
        Assert.IsType<Autoencoder>(ae);
        Assert.DoesNotContain(ae.NamedParameters(), p => p.Key.StartsWith("fc_var", StringComparison.Ordinal));
        Assert.IsType<PointMassPosterior>(ae.Encode(Tensor.Zeros(1, 6)));
        var loss = ae.Loss(Tensor.Uniform(new Generator(2), 0f, 1f, 3, 6), new ElboObjective(), 1f, new Generator(3));
        Assert.Equal(0f, loss.Kl);
        Assert.Equal(loss.Reconstruction, loss.Objective.Item());
    }

    [Theory]
    [InlineData("mlp", "bernoulli")]
    [InlineData("mlp", "gaussian-learned")]
    [InlineData("conv", "bernoulli")]
    [InlineData("ae", "gaussian")]
    [InlineData("mlp", "continuous-bernoulli")]
    public void TrainingLowersTheLoss(string kind, string likelihood)
    {
        var input = DataShape.Grey(8, 8);
        var g = new Generator(5);
        var vae = ModelRegistry.Create(new ModelOptions(kind, input, 3, [32], [4, 8], likelihood), g);
        // Data: 16 noisy copies of two prototypes, so there is structure to learn.
        var x = Tensor.Zeros(16, input.Features);
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < input.Features; j++)
                x[i, j] = Math.Clamp(((j + i % 2 * 3) % 7 < 3 ? 0.9f : 0.1f) + 0.05f * g.NextNormal(), 0f, 1f);
        var adam = new Adam(vae.Parameters(), 1e-2);
        var objective = new ElboObjective();
        var arena = new TensorArena();
        float first = 0, last = 0;
        for (int step = 0; step < 150; step++)
        {
            adam.ZeroGrad();
            using (arena.Step())
            {
                var loss = vae.Loss(x, objective, 1f, g);
                loss.Objective.Backward();
                if (step == 0) first = loss.NegativeElbo;
                last = loss.NegativeElbo;
            }
            adam.Step();
        }
        // At least 10 % lower (the Gaussian's −ELBO includes a constant D·log(σ√2π) that training cannot remove).
        Assert.True(last < first - 0.1f * Math.Abs(first), $"−ELBO went from {first} to {last}");
        Assert.True(float.IsFinite(last));
    }

    [Fact]
    public void SamplesAreProbabilitiesForBernoulli()
    {
        var vae = ModelRegistry.Create(ModelOptions.DefaultMlp(Mnist), new Generator(1));
        var samples = vae.Sample(5, new Generator(2));
        Assert.Equal(new[] { 5, 784 }, samples.ShapeArray());
        Assert.All(samples.ToArray(), v => Assert.InRange(v, 0f, 1f));
    }
}
