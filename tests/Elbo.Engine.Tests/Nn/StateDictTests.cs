using Elbo.Engine.Nn;
using Elbo.Engine.Tests.Support;

namespace Elbo.Engine.Tests.Nn;

public class StateDictTests
{
    [Fact]
    public void SaveThenLoadIntoAModelWithAnotherSeedGivesIdenticalOutputs()
    {
        var source = new TinyAutoencoder(new Generator(1));
        var target = new TinyAutoencoder(new Generator(2));
        var x = Tensor.Randn(new Generator(3), 5, 4);
        Assert.NotEqual(source.Forward(x).ToArray(), target.Forward(x).ToArray());

        var result = target.LoadStateDict(source.StateDict());

        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        Assert.Equal(source.Forward(x).ToArray(), target.Forward(x).ToArray());
    }

    [Fact]
    public void LoadingCopiesInPlaceSoParameterObjectsStayTheSame()
    {
        var target = new TinyAutoencoder(new Generator(2));
        var before = target.Parameters().ToArray();
        target.LoadStateDict(new TinyAutoencoder(new Generator(1)).StateDict());
        Assert.Equal(before, target.Parameters());
    }

    [Fact]
    public void StateDictHoldsCopiesInPyTorchOrderWithBuffersAfterEachModulesParameters()
    {
        var g = new Generator(4);
        var model = new Sequential(new Linear(3, 2, g), new BatchNorm1d(2), new Linear(2, 1, g));
        var dict = model.StateDict();
        Assert.Equal(new[]
        {
            "0.weight", "0.bias",
            "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
            "2.weight", "2.bias",
        }, dict.Keys);
        Assert.Equal(0, dict["1.num_batches_tracked"].Rank);
        Assert.Equal(new float[] { 1, 1 }, dict["1.running_var"].ToArray());

        dict["0.weight"].Data[0] = 123f;
        Assert.NotEqual(123f, ((Linear)model[0]).Weight.Data[0]);
        Assert.False(dict["0.weight"].RequiresGrad);
    }

    [Fact]
    public void AMissingKeyIsAnErrorNamingTheKey()
    {
        var model = new TinyAutoencoder(new Generator(1));
        var dict = model.StateDict();
        dict.Remove("encoder.2.bias");
        var ex = Assert.Throws<ArgumentException>(() => new TinyAutoencoder(new Generator(2)).LoadStateDict(dict));
        Assert.Contains("missing key(s): encoder.2.bias", ex.Message);
    }

    [Fact]
    public void AnUnexpectedKeyIsAnErrorNamingTheKey()
    {
        var dict = new TinyAutoencoder(new Generator(1)).StateDict();
        dict.Add("decoder.1.weight", Tensor.Zeros(2));
        var ex = Assert.Throws<ArgumentException>(() => new TinyAutoencoder(new Generator(2)).LoadStateDict(dict));
        Assert.Contains("unexpected key(s): decoder.1.weight", ex.Message);
    }

    [Fact]
    public void AShapeMismatchNamesTheKeyAndBothShapesAndLoadsNothing()
    {
        var dict = new TinyAutoencoder(new Generator(1), hidden: 5).StateDict();
        var target = new TinyAutoencoder(new Generator(2), hidden: 3);
        var before = target.StateDict();
        var ex = Assert.Throws<ArgumentException>(() => target.LoadStateDict(dict, strict: false));
        Assert.Contains("size mismatch for encoder.0.weight: the checkpoint has shape (5,4), the model has shape (3,4)", ex.Message);
        Assert.Contains("encoder.2.weight", ex.Message);
        foreach (var (name, t) in target.StateDict()) Assert.Equal(before[name].ToArray(), t.ToArray());
    }

    [Fact]
    public void NonStrictLoadingReportsMissingAndUnexpectedKeys()
    {
        var dict = new TinyAutoencoder(new Generator(1)).StateDict();
        dict.Remove("scale");
        dict.Add("extra", Tensor.Zeros(1));
        var target = new TinyAutoencoder(new Generator(2));
        var result = target.LoadStateDict(dict, strict: false);
        Assert.Equal(new[] { "scale" }, result.MissingKeys);
        Assert.Equal(new[] { "extra" }, result.UnexpectedKeys);
        Assert.Equal(dict["decoder.0.weight"].ToArray(), target.Decoder.Parameters()[0].ToArray());
        Assert.Equal(1f, target.Scale.Item());
    }

    [Fact]
    public void BuffersRoundTripThroughTheStateDict()
    {
        var bn = new BatchNorm2d(3);
        bn.RunningMean.Data.Fill(0.5f);
        bn.NumBatchesTracked.Data[0] = 7;
        var other = new BatchNorm2d(3);
        other.LoadStateDict(bn.StateDict());
        Assert.Equal(bn.RunningMean.ToArray(), other.RunningMean.ToArray());
        Assert.Equal(7f, other.NumBatchesTracked.Item());
    }
}
