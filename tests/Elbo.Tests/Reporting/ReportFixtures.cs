using Elbo.Data;
using System.Buffers.Binary;
using System.Globalization;
using Elbo.Imaging;
using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Serialization;
using Elbo.Training;

namespace Elbo.Tests.Reporting;

/// <summary>Hand-made run folders and report pieces (PNG, SVG, eval.json) for the report's tests, so every section of
/// the report is exercised without the commands that make the pieces.</summary>
public static class ReportFixtures
{
    /// <summary>A grey gradient PNG of the given size, written by Elbo's own PNG writer.</summary>
    public static byte[] Png(int width, int height, int salt = 0)
    {
        var pixels = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                pixels[y * width + x] = (byte)((x * 255 / Math.Max(1, width - 1) + y * 7 + salt * 40) % 256);
        return PngWriter.Encode(pixels, width, height, PngColor.Grey);
    }

    /// <summary>A PNG whose header is whole but whose image data are damaged (one byte of the IDAT chunk flipped, the
    /// CRC left as it was): browsers still draw it, at its full size.</summary>
    public static byte[] PngWithBadCrc(int width = 16, int height = 16)
    {
        var png = Png(width, height);
        int idat = IndexOfChunk(png, "IDAT");
        png[idat + 8 + 2] ^= 0x5A;
        return png;
    }

    /// <summary>A PNG whose IDAT data are garbage with a correct CRC (so only inflating them finds the damage).</summary>
    public static byte[] PngWithCorruptData(int width = 16, int height = 16)
    {
        var png = Png(width, height);
        int idat = IndexOfChunk(png, "IDAT");
        int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(idat));
        for (int i = 2; i < length - 4; i++) png[idat + 8 + i] ^= 0x5A;
        uint crc = Crc32(png.AsSpan(idat + 4, 4 + length));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(idat + 8 + length), crc);
        return png;
    }

    /// <summary>The first half of a PNG file.</summary>
    public static byte[] TruncatedPng() => Png(16, 16)[..40];

    /// <summary>Only the signature and IHDR chunk of a PNG: browsers cannot draw it (naturalWidth 0).</summary>
    public static byte[] HeaderOnlyPng() => Png(16, 16)[..33];

    /// <summary>A line chart as an SVG file of the kind plotting tools write: XML declaration, doctype, a clip path
    /// referenced by id (which the report must prefix), a polyline per series.</summary>
    public static string CurvesSvg() => """
        <?xml version="1.0" encoding="UTF-8" standalone="no"?>
        <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="480" height="240" viewBox="0 0 480 240">
          <defs><clipPath id="plot"><rect x="40" y="10" width="430" height="200"/></clipPath></defs>
          <rect x="40" y="10" width="430" height="200" fill="none" stroke="#999"/>
          <g clip-path="url(#plot)">
            <polyline points="40,40 150,120 260,160 370,175 470,180" fill="none" stroke="#1f77b4" stroke-width="2"/>
            <polyline points="40,60 150,130 260,165 370,178 470,184" fill="none" stroke="#ff7f0e" stroke-width="2"/>
          </g>
          <text x="240" y="232" text-anchor="middle" font-size="12">epoch</text>
        </svg>
        """;

    /// <summary>A scatter plot as an SVG file (its clip path has the same id as <see cref="CurvesSvg"/>'s).</summary>
    public static string ScatterSvg(int points = 40, int seed = 1)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"300\" viewBox=\"-3 -3 6 6\">");
        sb.Append("<defs><clipPath id=\"plot\"><rect x=\"-3\" y=\"-3\" width=\"6\" height=\"6\"/></clipPath></defs><g clip-path=\"url(#plot)\">");
        var rng = new Random(seed);
        for (int i = 0; i < points; i++)
        {
            double a = rng.NextDouble() * 2 * Math.PI, r = 1.5 + 0.3 * rng.NextDouble();
            sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{r * Math.Cos(a):F3}\" cy=\"{r * Math.Sin(a):F3}\" r=\"0.06\" fill=\"hsl({i * 36 % 360},60%,45%)\"/>");
        }
        sb.Append("</g></svg>");
        return sb.ToString();
    }

    /// <summary>An eval.json with every figure of the schema, for <paramref name="latent"/> dimensions.</summary>
    public static string EvalJson(int latent) =>
        $$"""
        {
          "examples": 12, "k": 50, "negElbo": 101.25, "reconstruction": 90.5, "kl": 10.75,
          "importanceSampled": { "negLogPx": 98.5, "standardError": 0.42, "elboGap": 2.75 },
          "priorProposal": { "negLogPx": 104.0, "standardError": 3.1, "meanEss": 2.5, "essFraction": 0.05 },
          "klPerDimension": [{{string.Join(", ", Enumerable.Range(0, latent).Select(i => (3.0 / (i + 1)).ToString("F3", CultureInfo.InvariantCulture)))}}],
          "varianceOfMu": [{{string.Join(", ", Enumerable.Range(0, latent).Select(i => (i == latent - 1 ? 0.001 : 0.8 / (i + 1)).ToString("F3", CultureInfo.InvariantCulture)))}}],
          "activeUnits": {{latent - 1}}, "activeThreshold": 0.01,
          "amortization": { "steps": 100, "refinedNegElbo": 99.0, "gap": 2.25 },
          "seconds": 1.5
        }
        """;

    /// <summary>Writes every optional piece of the report into <paramref name="dir"/>.</summary>
    public static void WriteOptionalPieces(string dir, int latent)
    {
        File.WriteAllText(Path.Combine(dir, "curves.svg"), CurvesSvg());
        File.WriteAllText(Path.Combine(dir, "latent.svg"), ScatterSvg(60, 1));
        File.WriteAllText(Path.Combine(dir, "ring.svg"), ScatterSvg(80, 2));
        File.WriteAllBytes(Path.Combine(dir, "manifold.png"), Png(96, 96, 1));
        File.WriteAllBytes(Path.Combine(dir, "interpolation.png"), Png(160, 40, 2));
        File.WriteAllBytes(Path.Combine(dir, "traversal.png"), Png(160, 60, 3));
        File.WriteAllText(Path.Combine(dir, "eval.json"), EvalJson(latent));
    }

    /// <summary>A hand-made run folder (a checkpoint of a stand-in one-layer model, which the report reads only the
    /// configuration of,
    /// metrics.jsonl of two epochs, the pictures of epoch 2), without the optional pieces.</summary>
    public static string WriteRun(string dir, int latent = 3)
    {
        Directory.CreateDirectory(dir);
        var config = new RunConfig
        {
            Model = ModelRegistry.Specs.Get("mlp"), Likelihood = LikelihoodRegistry.Specs.Get("bernoulli"), Latent = latent, Hidden = [16], Input = DataShape.Grey(8, 8),
            Dataset = "fashion-mnist", Epochs = 2, BatchSize = 16, Lr = 0.01, Seed = 7, ElboVersion = "test",
        };
        // the report reads the configuration from the checkpoint's header, not its weights: a one-tensor checkpoint does
        Checkpoint.Save(dir, config, new Elbo.Engine.Nn.Linear(2, 1, new Generator(1)), null, new TrainingState(2, 8, new Generator(1).GetState()));
        for (int e = 1; e <= 2; e++)
        {
            MetricsLog.Append(Path.Combine(dir, "metrics.jsonl"), new EpochMetrics
            {
                Epoch = e, TrainSeconds = 0.5 * e, TrainLoss = 120 - e, TrainRecon = 110 - e, TrainKl = 10, TestLoss = 119 - e,
                TestRecon = 109 - e, TestKl = 10, ExamplesPerSecond = 1234.5, KlWeight = 1,
            });
            File.WriteAllBytes(Path.Combine(dir, $"samples_{e}.png"), Png(72, 72, e));
            File.WriteAllBytes(Path.Combine(dir, $"reconstructions_{e}.png"), Png(72, 18, e + 2));
        }
        return dir;
    }

    private static int IndexOfChunk(byte[] png, string type)
    {
        int at = 8;
        while (at + 8 <= png.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            if (System.Text.Encoding.ASCII.GetString(png, at + 4, 4) == type) return at;
            at += 12 + length;
        }
        throw new InvalidOperationException($"no {type} chunk");
    }

    private static uint Crc32(ReadOnlySpan<byte> data) => Elbo.Imaging.Crc32.Compute(data);
}
