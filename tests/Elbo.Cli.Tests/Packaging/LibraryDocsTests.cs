namespace Elbo.Cli.Tests.Packaging;

/// <summary>docs/library.md's C# is the sample's code: the region of samples/Elbo.Samples.Scoring/Program.cs marked
/// <c>#region library.md</c>, which the package tests compile against the packed Elbo and run. So the page's code
/// compiles and does what the page says.</summary>
public class LibraryDocsTests
{
    [Fact]
    public void TheCSharpOfDocsLibraryMdIsTheSamplesRegionWordForWord()
    {
        var page = File.ReadAllLines(Repository.File("docs", "library.md"));
        var blocks = new List<List<string>>();
        List<string>? block = null;
        foreach (string line in page)
        {
            if (block is null && line.Trim() == "```csharp") blocks.Add(block = []);
            else if (block is not null && line.Trim() == "```") block = null;
            else block?.Add(line);
        }
        Assert.True(block is null, "docs/library.md: a ```csharp block is not closed");
        var snippet = Assert.Single(blocks);

        var program = File.ReadAllLines(Repository.File("samples", "Elbo.Samples.Scoring", "Program.cs"));
        int start = Array.FindIndex(program, l => l.Trim() == "#region library.md"), end = Array.FindIndex(program, l => l.Trim() == "#endregion");
        Assert.True(start >= 0 && end > start, "Program.cs has no '#region library.md' … '#endregion'");
        var region = program[(start + 1)..end];
        int indent = region.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        Assert.Equal(region.Select(l => l.Length >= indent ? l[indent..] : l.Trim()), snippet);
    }
}
