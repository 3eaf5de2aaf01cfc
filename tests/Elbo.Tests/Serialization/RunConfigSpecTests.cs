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
}
