using System.Text.Json;
using Elbo.Tests.Data;

namespace Elbo.Cli.Tests;

/// <summary>End to end on a small folder of pictures made here: three colour classes of PNG and JPEG pictures of
/// several sizes and kinds (grey, RGB, RGBA) and one corrupt file.</summary>
public class ImageFolderCommandTests : CliTestBase
{
    private string Pictures()
    {
        string root = Path.Combine(_dir, "photos");
        if (Directory.Exists(root)) return root;
        for (int i = 0; i < 12; i++)
        {
            ImageFixtures.Png(Path.Combine(root, "red", $"r{i}.png"), 20 + i, 16, 4, (x, y, c) => c switch { 0 => (byte)(150 + 8 * i), 3 => 255, _ => (byte)(x * 3) });
            ImageFixtures.Jpeg(Path.Combine(root, "green", $"g{i}.jpg"), 17, 23 + i, 3, (x, y, c) => c == 1 ? (byte)(140 + 9 * i) : (byte)(y * 2));
            ImageFixtures.Png(Path.Combine(root, "grey", $"k{i}.png"), 9 + i, 9 + i, 1, (x, y, _) => (byte)(10 * i + x));
        }
        ImageFixtures.Corrupt(Path.Combine(root, "grey", "broken.png"));
        return root;
    }

    private string[] TrainPictures(string run, params string[] extra) => Train(run,
        [.. new[] { "--data", Pictures(), "--model", "conv", "--channels", "8,16", "--image-size", "16", "--latent", "4", "--epochs", "1",
            "--batch-size", "8", "--cache-dir", Path.Combine(_dir, "cache") }, .. extra]);

    [Fact]
    public void TrainOnAFolderOfPicturesThenSampleReconstructAndReportInColour()
    {
        string run = Path.Combine(_dir, "run");
        var (code, output, err) = Run(TrainPictures(run));

        Assert.True(code == 0, err);
        Assert.Contains($"data: {Pictures()} is an image folder: 37 pictures, 3 class folders (green, grey, red)", output);
        Assert.Contains("1 skipped", output);
        Assert.Contains("gaussian likelihood", output);                       // the default for a folder of pictures
        Assert.Contains("(3x16x16)", output);
        Assert.Equal("grey/broken.png", File.ReadAllText(Path.Combine(run, RunFolder.SkippedImages)).Split('\t')[0]);
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, RunFolder.Config))))
        {
            var root = config.RootElement;
            Assert.Equal("gaussian", root.GetProperty("likelihood").GetString());
            Assert.Equal(["green", "grey", "red"], root.GetProperty("classNames").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(16, root.GetProperty("images").GetProperty("imageSize").GetInt32());
            Assert.Equal("Rgb", root.GetProperty("images").GetProperty("color").GetString());
            Assert.Equal(Path.Combine(_dir, "cache"), root.GetProperty("cacheDir").GetString());   // later commands read the same cache
        }
        foreach (string picture in new[] { RunFolder.SamplesName(1), RunFolder.ReconstructionsName(1), RunFolder.Manifold })
            Assert.Equal(StbImageSharp.ColorComponents.RedGreenBlue, ColourOf(Path.Combine(run, picture)));
        Assert.Contains("green", File.ReadAllText(Path.Combine(run, RunFolder.Latent)));      // the legend names the classes

        string samples = Path.Combine(_dir, "s.png"), recon = Path.Combine(_dir, "r.png");
        Assert.Equal(0, Run("sample", run, "--n", "4", "--out", samples).Code);
        var (rc, _, rerr) = Run("reconstruct", run, "--n", "3", "--out", recon);
        Assert.True(rc == 0, rerr);
        Assert.Equal(StbImageSharp.ColorComponents.RedGreenBlue, ColourOf(samples));
        Assert.Equal(StbImageSharp.ColorComponents.RedGreenBlue, ColourOf(recon));
        Assert.Equal(0, Run("interpolate", run, "--from", "0", "--to", "1", "--steps", "4").Code);
        Assert.Equal(StbImageSharp.ColorComponents.RedGreenBlue, ColourOf(Path.Combine(run, RunFolder.Interpolation)));
        Assert.Equal(0, Run("traverse", run, "--dims", "0,1").Code);
        Assert.Equal(StbImageSharp.ColorComponents.RedGreenBlue, ColourOf(Path.Combine(run, RunFolder.Traversal)));
        string ae = Path.Combine(_dir, "ae");
        var (aeCode, _, aeErr) = Run(TrainPictures(ae, "--model", "ae", "--hidden", "32", "--no-report"));
        Assert.True(aeCode == 0, aeErr);
        var (cc, _, cerr) = Run("compare", run, ae, "--n", "4");
        Assert.True(cc == 0, cerr);
        Assert.Equal(StbImageSharp.ColorComponents.RedGreenBlue, ColourOf(Path.Combine(run, RunFolder.Comparison)));
        var (report, _, reportErr) = Run("report", run, "--refresh");
        Assert.True(report == 0, reportErr);
        string html = File.ReadAllText(Path.Combine(run, RunFolder.Report));
        Assert.Contains("data:image/png;base64", html);
        Assert.Contains("16×16 RGB, largest centred square, alpha over black", html);
        Assert.Contains("green, grey, red", html);
    }

    [Fact]
    public void GreyAndAnExplicitLikelihoodAreKept()
    {
        string run = Path.Combine(_dir, "grey");
        var (code, output, err) = Run(TrainPictures(run, "--color", "grey", "--likelihood", "bernoulli", "--no-report", "--limit", "20", "--test-fraction", "0.2"));

        Assert.True(code == 0, err);
        Assert.Contains("(1x16x16)", output);
        Assert.Contains("bernoulli likelihood", output);
        Assert.Contains("a seeded 20 of 37", output);
        Assert.Matches(@"1[56] train and 4 test \(a seeded 0.2 held out\)", output);   // 20 listed, one may be the corrupt file
        Assert.Equal(StbImageSharp.ColorComponents.Grey, ColourOf(Path.Combine(run, RunFolder.SamplesName(1))));
    }

    [Fact]
    public void ResumeWithoutDataContinuesOnTheRunsOwnPicturesAndPreprocessing()
    {
        string run = Path.Combine(_dir, "resume");
        Assert.Equal(0, Run(TrainPictures(run, "--color", "grey", "--no-report")).Code);

        var (code, output, err) = Run("train", "--out", run, "--resume", "--epochs", "2", "--no-report");

        Assert.True(code == 0, err);
        Assert.Contains("37 pictures read from the cache", output);           // the stored preprocessing: the same cache file
        Assert.Contains("(1x16x16)", output);
        Assert.Contains("epochs 2..2", output);
    }

    [Theory]
    [InlineData("--image-size", "0", "elbo: --image-size must be between 1 and 4096 pixels, got 0")]
    [InlineData("--image-size", "18", "elbo: --channels do not fit the input: a 18x18 input with 2 stride-2 blocks")]
    [InlineData("--color", "purple", "elbo: --color takes rgb | grey, got 'purple'")]
    [InlineData("--background", "1", "elbo: --background takes black | white, got '1'")]
    [InlineData("--test-fraction", "1.5", "elbo: --test-fraction must be between 0 and 1 (exclusive), got 1.5")]
    [InlineData("--limit", "1", "elbo: --limit must be at least 2")]
    public void BadPictureOptionsAreUsageErrorsAndWriteNothing(string option, string value, string expected)
    {
        string run = Path.Combine(_dir, "bad");
        var (code, _, err) = Run(TrainPictures(run, option, value));

        Assert.Equal(2, code);
        Assert.StartsWith(expected, err);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(run));
        Assert.False(Directory.Exists(Path.Combine(_dir, "cache")), "refused before any picture was decoded");
    }

    [Fact]
    public void PictureOptionsForIdxDataAreRefused()
    {
        var (code, _, err) = Run(Train(Path.Combine(_dir, "idx"), "--image-size", "32"));
        Assert.Equal(2, code);
        Assert.StartsWith("elbo: --image-size applies to image folders only", err);
    }

    [Fact]
    public void FoldersWithoutUsablePicturesAreDataErrorsInOneLine()
    {
        string empty = Path.Combine(_dir, "empty"), corrupt = Path.Combine(_dir, "corrupt");
        Directory.CreateDirectory(empty);
        ImageFixtures.Corrupt(Path.Combine(corrupt, "a.png"));
        ImageFixtures.Corrupt(Path.Combine(corrupt, "b.jpg"));

        foreach (var (folder, expected) in new[] { (empty, "holds no pictures"), (corrupt, "none of its 2 pictures could be decoded") })
        {
            string run = Path.Combine(_dir, "run-" + Path.GetFileName(folder));
            var (code, _, err) = Run(TrainPictures(run, "--data", folder));
            Assert.Equal(1, code);
            Assert.Contains(expected, err);
            Assert.Single(err.TrimEnd().Split('\n'));
            Assert.False(Directory.Exists(run));
        }
    }

    // The colour type a PNG's header declares.
    private static StbImageSharp.ColorComponents ColourOf(string png)
    {
        using var stream = File.OpenRead(png);
        return StbImageSharp.ImageInfo.FromStream(stream)!.Value.ColorComponents;
    }
}
