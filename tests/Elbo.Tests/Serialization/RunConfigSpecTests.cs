using Elbo.Data;
using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Objectives;
using Elbo.Serialization;

namespace Elbo.Tests.Serialization;

public class RunConfigSpecTests
{
    [Fact]
    public void SpecsAndTheKlEstimatorAreWrittenAsTheirNames()
    {
        var config = new RunConfig
        {
            Model = ModelRegistry.Specs.Get("conv"), Likelihood = LikelihoodRegistry.Specs.Get("gaussian"),
            Objective = ObjectiveRegistry.Specs.Get("iwae"), K = 7, Kl = KlEstimator.MonteCarlo,
        };
        string json = RunConfigFile.ToJson(config);
        Assert.Contains("\"model\": \"conv\"", json);
        Assert.Contains("\"likelihood\": \"gaussian\"", json);
        Assert.Contains("\"objective\": \"iwae\"", json);
        Assert.Contains("\"kl\": \"mc\"", json);
        var back = RunConfigFile.FromJson(json, "config.json");
        Assert.Same(config.Model, back.Model);
        Assert.Same(config.Likelihood, back.Likelihood);
        Assert.Same(config.Objective, back.Objective);
        Assert.Equal(7, back.K);
        Assert.Equal(KlEstimator.MonteCarlo, back.Kl);
    }

    [Fact]
    public void AFileFromBeforeObjectivesTrainedTheElbo()
    {
        var back = RunConfigFile.FromJson("""{ "model": "ae", "likelihood": "bernoulli", "kl": "closed", "latent": 2 }""", "config.json");
        Assert.Equal("ae", back.Model.Name);
        Assert.Equal("elbo", back.Objective.Name);
        Assert.Null(back.K);
        Assert.IsType<ElboObjective>(back.CreateObjective());
    }

    [Theory]
    [InlineData("""{ "model": "gan" }""", "model 'gan' is unknown")]
    [InlineData("""{ "likelihood": 3 }""", "likelihood must be a name")]
    [InlineData("""{ "kl": "exact" }""", "invalid run configuration")]
    public void UnknownNamesAreFormatErrorsNamingTheChoices(string json, string expected)
    {
        var e = Assert.Throws<CheckpointFormatException>(() => RunConfigFile.FromJson(json, "config.json"));
        Assert.Contains(expected, e.Message);
        Assert.Contains("config.json", e.Message);
    }

    [Fact]
    public void EveryRegistryNameIsUniqueAndHasHelp()
    {
        foreach (var names in new[] { ModelRegistry.Names, LikelihoodRegistry.Names, ObjectiveRegistry.Specs.Names })
            Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(ModelRegistry.Specs.All, s => Assert.False(string.IsNullOrWhiteSpace(s.Help)));
        Assert.All(LikelihoodRegistry.Specs.All, s => Assert.False(string.IsNullOrWhiteSpace(s.Help)));
        Assert.All(ObjectiveRegistry.Specs.All, s => Assert.False(string.IsNullOrWhiteSpace(s.Help)));
    }

    [Fact]
    public void TheKindOfDataIsWrittenAndReadBack()
    {
        string json = RunConfigFile.ToJson(new RunConfig { Input = DataShape.Points(2) });
        Assert.Contains("\"kind\": \"points\"", json);
        var back = RunConfigFile.FromJson(json, "config.json");
        Assert.Equal(DataKind.Points, back.Input.Kind);
        Assert.True(back.Input.IsPlanarPoints);
        Assert.False(back.Input.IsImage);
    }

    [Theory]
    [InlineData(1, 28, 28, DataKind.Image)]
    [InlineData(3, 64, 64, DataKind.Image)]
    [InlineData(1, 1, 2, DataKind.Points)]
    [InlineData(1, 1, 17, DataKind.Table)]
    public void FilesWrittenBeforeKindsGetTheKindTheirShapeHad(int c, int h, int w, DataKind expected)
    {
        string json = $$"""{ "model": "mlp", "input": { "channels": {{c}}, "height": {{h}}, "width": {{w}} } }""";
        Assert.Equal(expected, RunConfigFile.FromJson(json, "config.json").Input.Kind);
    }

    [Fact]
    public void ShapesCompareByLayoutNotKind()
    {
        Assert.Equal(DataShape.Table(2), DataShape.Points(2));
        Assert.NotEqual(DataShape.Grey(2, 3), DataShape.Grey(3, 2));
        Assert.Equal(6, DataShape.Rgb(1, 2).Features);
    }
}
