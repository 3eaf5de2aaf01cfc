using System.Text.Json;
using Elbo.Evaluation;

namespace Elbo.Tests.Evaluation;

public class EvalResultFileTests
{
    [Fact]
    public void WritesTheCamelCaseSchemaAndReadsItBack()
    {
        var result = new EvalResult
        {
            Model = "mlp", Examples = 10, K = 100, NegElbo = 250.5, Reconstruction = 230.25, Kl = 20.25,
            ImportanceSampled = new ImportanceSampledResult { NegLogPx = 245, StandardError = 1.5, ElboGap = 5.5 },
            PriorProposal = new PriorProposalResult { NegLogPx = 300, StandardError = 2, MeanEss = 1.1, EssFraction = 0.011 },
            KlPerDimension = [1, 0.001], VarianceOfMu = [0.9, 0.002], ActiveUnits = 1, ActiveThreshold = 0.01,
            Amortization = new AmortizationResult { Steps = 5, RefinedNegElbo = 249, Gap = 1.5, AmortizedNegElbo = 250.5, Samples = 8, LearningRate = 0.01 },
            Seconds = 3.25,
        };
        string path = Path.Combine(Directory.CreateTempSubdirectory("elbo-eval").FullName, EvalResultFile.FileName);
        try
        {
            EvalResultFile.Write(path, result);
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            foreach (var name in new[] { "examples", "k", "negElbo", "reconstruction", "kl", "importanceSampled", "priorProposal",
                         "klPerDimension", "varianceOfMu", "activeUnits", "activeThreshold", "amortization", "seconds" })
                Assert.True(root.TryGetProperty(name, out _), name);
            Assert.Equal(245, root.GetProperty("importanceSampled").GetProperty("negLogPx").GetDouble());
            Assert.Equal(5.5, root.GetProperty("importanceSampled").GetProperty("elboGap").GetDouble());
            Assert.Equal(0.011, root.GetProperty("priorProposal").GetProperty("essFraction").GetDouble());
            Assert.Equal(1.1, root.GetProperty("priorProposal").GetProperty("meanEss").GetDouble());
            Assert.Equal(249, root.GetProperty("amortization").GetProperty("refinedNegElbo").GetDouble());
            Assert.Equal(1.5, root.GetProperty("amortization").GetProperty("gap").GetDouble());
            var back = EvalResultFile.Read(path);
            Assert.Equal(result with { KlPerDimension = back.KlPerDimension, VarianceOfMu = back.VarianceOfMu }, back);
            Assert.Equal(result.KlPerDimension, back.KlPerDimension);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void NonFiniteValuesAreWrittenAsNamedLiterals()
    {
        var result = new EvalResult { Examples = 1, K = 1, NegElbo = double.NaN, Reconstruction = double.PositiveInfinity };
        string json = EvalResultFile.ToJson(result);
        Assert.Contains("\"negElbo\": \"NaN\"", json);
        Assert.Contains("\"reconstruction\": \"Infinity\"", json);
    }

    [Fact]
    public void ReadingSomethingElseNamesTheFile()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not json");
            var e = Assert.Throws<InvalidDataException>(() => EvalResultFile.Read(path));
            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
