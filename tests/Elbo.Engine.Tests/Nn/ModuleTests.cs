using Elbo.Engine.Nn;
using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Nn;

public class ModuleTests
{
    private sealed class WithBatchNorm : Module
    {
        public WithBatchNorm(Generator g)
        {
            Body = RegisterModule("body", new Sequential(new Linear(3, 4, g), new BatchNorm1d(4), new Tanh(), new Linear(4, 2, g, bias: false)));
        }

        public Sequential Body { get; }
        public override Tensor Forward(Tensor x) => Body.Forward(x);
    }

    private sealed class Shared : Module
    {
        public Shared(Generator g)
        {
            var lin = new Linear(2, 2, g);
            RegisterModule("a", lin);
            RegisterModule("b", lin);
        }

        public override Tensor Forward(Tensor x) => x;
    }

    private sealed class BadNames : Module
    {
        public BadNames(string first, string second)
        {
            RegisterParameter(first, Tensor.Zeros(1));
            RegisterBuffer(second, Tensor.Zeros(1));
        }

        public override Tensor Forward(Tensor x) => x;
    }

    [Fact]
    public void NamedParametersOfANestedSequentialHaveDottedNamesInDeclarationOrder()
    {
        var model = new TinyAutoencoder(new Generator(1));
        var names = model.NamedParameters().Select(kv => kv.Key).ToArray();
        Assert.Equal(new[]
        {
            "scale",
            "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
            "decoder.0.weight", "decoder.0.bias",
        }, names);
        foreach (var (name, p) in model.NamedParameters())
        {
            Assert.Equal(name, p.Name);
            Assert.True(p.RequiresGrad);
            Assert.True(p.IsLeaf);
        }
        Assert.Equal(new[] { 3, 4 }, model.NamedParameters()[1].Value.ShapeArray()); // Linear(4, 3): weight (out, in)
    }

    [Fact]
    public void ParametersMatchNamedParametersAndTheCountSumsTheirSizes()
    {
        var model = new TinyAutoencoder(new Generator(1));
        Assert.Equal(model.NamedParameters().Select(kv => kv.Value), model.Parameters());
        Assert.Equal(1 + (4 * 3 + 3) + (3 * 2 + 2) + (2 * 4 + 4), model.ParameterCount);
    }

    [Fact]
    public void ParametersIsCachedAndDoesNotAllocate()
    {
        var model = new TinyAutoencoder(new Generator(1));
        Assert.Same(model.Parameters(), model.Parameters());
        Assert.Equal(0, Allocations.Measure(() => model.Parameters()));
        Assert.Equal(0, Allocations.Measure(() => model.ZeroGrad()));
    }

    [Fact]
    public void ParameterListsAreRebuiltWhenASequentialGrows()
    {
        var g = new Generator(2);
        var seq = new Sequential(new Linear(2, 3, g));
        Assert.Equal(2, seq.Parameters().Count);
        seq.Append(new Linear(3, 1, g, bias: false));
        Assert.Equal(new[] { "0.weight", "0.bias", "1.weight" }, seq.NamedParameters().Select(kv => kv.Key));
    }

    [Fact]
    public void BuffersAreNamedLikePyTorchAndAreNotParameters()
    {
        var model = new WithBatchNorm(new Generator(3));
        Assert.Equal(new[] { "body.1.running_mean", "body.1.running_var", "body.1.num_batches_tracked" },
            model.NamedBuffers().Select(kv => kv.Key));
        Assert.Equal(new[] { "body.0.weight", "body.0.bias", "body.1.weight", "body.1.bias", "body.3.weight" },
            model.NamedParameters().Select(kv => kv.Key));
        Assert.All(model.NamedBuffers(), kv => Assert.False(kv.Value.RequiresGrad));
    }

    [Fact]
    public void ASharedModuleIsListedOnceUnderItsFirstName()
    {
        var model = new Shared(new Generator(4));
        Assert.Equal(new[] { "a.weight", "a.bias" }, model.NamedParameters().Select(kv => kv.Key));
        Assert.Equal(6, model.ParameterCount);
    }

    [Fact]
    public void TrainAndEvalPropagateToEveryDescendant()
    {
        var model = new WithBatchNorm(new Generator(5));
        Assert.True(model.Training);
        Assert.Same(model, model.Eval());
        Assert.All(model.NamedModules(), kv => Assert.False(kv.Value.Training));
        model.Train();
        Assert.All(model.NamedModules(), kv => Assert.True(kv.Value.Training));
        model.Train(false);
        Assert.False(model.Body[1].Training);
    }

    [Fact]
    public void NamedModulesListsEveryModuleDepthFirst()
    {
        var model = new TinyAutoencoder(new Generator(1));
        Assert.Equal(new[] { "", "encoder", "encoder.0", "encoder.1", "encoder.2", "decoder", "decoder.0" },
            model.NamedModules().Select(kv => kv.Key));
    }

    [Fact]
    public void ZeroGradForgetsEveryParameterGradient()
    {
        var model = new TinyAutoencoder(new Generator(6));
        var x = Tensor.Randn(new Generator(7), 5, 4);
        model.Forward(x).Sum().Backward();
        Assert.All(model.Parameters(), p => Assert.NotNull(p.Grad));
        model.ZeroGrad();
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }

    [Theory]
    [InlineData("w", "w")]
    [InlineData("a.b", "c")]
    [InlineData("", "c")]
    public void BadOrDuplicateNamesAreRejected(string first, string second)
    {
        Assert.Throws<ArgumentException>(() => new BadNames(first, second));
    }

    [Fact]
    public void ToStringShowsTheTreeLikePyTorch()
    {
        var g = new Generator(8);
        var seq = new Sequential(new Linear(3, 4, g), new ReLU());
        Assert.Equal("Sequential(\n  (0): Linear(in_features=3, out_features=4, bias=True)\n  (1): ReLU()\n)", seq.ToString());
    }
}
