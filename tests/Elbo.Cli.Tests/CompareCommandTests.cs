namespace Elbo.Cli.Tests;

/// <summary>`elbo compare`: a VAE against a plain autoencoder.</summary>
public class CompareCommandTests : CliTestBase
{
    [Fact]
    public void ComparesAVaeWithAnAutoencoder()
    {
        string vae = TrainedRun("vae");
        string ae = TrainedRun("ae", "--model", "ae");
        var (code, output, err) = Run("compare", vae, ae, "--n", "8");
        Assert.True(code == 0, err);
        Assert.Contains("vae (mlp)", output);
        Assert.Contains("ae (ae)", output);
        Assert.Contains("KL(fit‖p)", output);
        using var png = File.OpenRead(Path.Combine(vae, "compare.png"));
        var header = new byte[24];
        png.ReadExactly(header);
        int width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(16));
        // Two grids of 8 tiles of 8 px with 2 px padding, scale 2, 16 px apart: 2·(8·10+2)·2 + 16.
        Assert.Equal(2 * 82 * 2 + 16, width);
        var svg = System.Xml.Linq.XDocument.Load(Path.Combine(vae, "compare.svg"));
        var text = string.Join(" ", svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
        Assert.Contains("vae (mlp)", text);
        Assert.Contains("ae (ae)", text);
        Assert.Contains("z ~ N(0, I)", text);
        // 12 test examples per model and as many prior draws (48 points), and 11 legend marks (the prior, 10 labels).
        Assert.Equal(48 + 11, svg.Descendants().Count(e => e.Name.LocalName == "circle"));
    }

    [Fact]
    public void DifferentLatentSizesAreAUsageError()
    {
        string vae = TrainedRun("vae");
        string other = TrainedRun("other", "--latent", "2");
        File.WriteAllText(Path.Combine(vae, "compare.png"), "earlier");
        var (code, _, err) = Run("compare", vae, other);
        Assert.Equal(2, code);
        Assert.Contains("latent dimensions", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal("earlier", File.ReadAllText(Path.Combine(vae, "compare.png")));
    }

    [Theory]
    [InlineData("--n", "0")]
    [InlineData("--examples", "-1")]
    public void BadCountsAreUsageErrors(string option, string value)
    {
        string vae = TrainedRun("vae");
        var (code, _, err) = Run("compare", vae, vae, option, value);
        Assert.Equal(2, code);
        Assert.Contains(option, err);
    }

    [Fact]
    public void AMissingRunIsAUsageError()
    {
        string vae = TrainedRun("vae");
        var (code, _, err) = Run("compare", vae, Path.Combine(_dir, "nothing"));
        Assert.Equal(2, code);
        Assert.Contains("no such run folder", err);
    }
}
