using Elbo.Data;
using Elbo.Evaluation;
using Elbo.Plotting;
using static Elbo.Tests.Plotting.SvgTestHelpers;

namespace Elbo.Tests.Plotting;

public class LatentScatterTests
{
    private static LatentCodes Codes(int n, int latent, bool autoencoder = false, int classes = 10)
    {
        var g = new Generator(7);
        var mu = new float[n * latent];
        for (int i = 0; i < mu.Length; i++) mu[i] = g.NextNormal() * (1 + i % latent);
        var logVar = autoencoder ? null : new float[n * latent];
        var labels = Enumerable.Range(0, n).Select(i => i % classes).ToArray();
        return logVar is null ? LatentCodes.PointMass(mu, labels, latent) : LatentCodes.Gaussian(mu, logVar, labels, latent);
    }

    [Fact]
    public void TwoDimensionalCodesAreDrawnDirectly()
    {
        var codes = Codes(300, 2);
        var projection = LatentScatter.Project(codes);
        Assert.Equal(codes.Mu[0], projection.X[0]);
        Assert.Equal(codes.Mu[1], projection.Y[0]);
        Assert.Null(projection.ExplainedVariance);
        var doc = Parse(LatentScatter.Svg(codes, ClassNames.FashionMnist));
        Assert.Equal(300, InGroups(doc, "points", "circle").Count());
        Assert.Equal(ClassNames.FashionMnist, LegendLabels(doc).Skip(0));
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "μ₁");
    }

    [Fact]
    public void LargerLatentSpacesUseTheFirstTwoPrincipalComponents()
    {
        var codes = Codes(500, 6);
        var projection = LatentScatter.Project(codes);
        Assert.NotNull(projection.ExplainedVariance);
        var pca = Pca.Fit(codes.Mu, 500, 6);
        Assert.Equal(pca.ExplainedVarianceRatio[0], projection.ExplainedVariance![0], 12);
        Assert.StartsWith("PC1 of μ (", projection.XTitle);
        Assert.EndsWith("% of variance)", projection.YTitle);
        var doc = Parse(LatentScatter.Svg(codes));
        Assert.Equal(500, InGroups(doc, "points", "circle").Count());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), LegendLabels(doc));
    }

    [Fact]
    public void AutoencoderCodesAreNamedCodes()
    {
        var codes = Codes(50, 3, autoencoder: true, classes: 3);
        var svg = LatentScatter.Svg(codes, ["a", "b"]);
        var doc = Parse(svg);
        Assert.Contains("Autoencoder codes", svg);
        Assert.Equal(["a", "b", "2"], LegendLabels(doc));
    }

    [Fact]
    public void UnlabelledExamplesShareOneNeutralCategory()
    {
        var codes = LatentCodes.PointMass([0, 1, 2, 3, 4, 5], [-1, -1, -1], 2);
        var doc = Parse(LatentScatter.Svg(codes));
        Assert.Equal(["unlabelled"], LegendLabels(doc));
        Assert.Equal(Palette.Neutral, (string?)Groups(doc, "points").Single().Attribute("fill"));
    }
}
