using System.Diagnostics;
using Elbo.Data;
using Elbo.Reporting;
using StbImageWriteSharp;

namespace Elbo.Fuzz.Targets;

/// <summary>
/// A picture as an image folder and the server take it: <see cref="ImageDecoder.DecodeRgba(byte[], long)"/> (StbImageSharp
/// behind the end-clamped stream, the pixel limit and the PNG bomb check), then <see cref="ImagePreprocessing.Apply"/>
/// at two settings (grey 8×8 over black, RGB 16×16 cropped over white). The
/// refusal is an <see cref="ImageDecodeException"/> (the picture is skipped and listed). A PNG that decodes must have
/// the size its IHDR chunk states (<see cref="PngHeader.TryRead"/>, what the server checks before decoding). Two
/// targets with one harness and different seeds: <c>png</c> (every colour type, bit depth 1–16, Adam7, all five
/// filters) and <c>jpeg</c> (baseline grey and colour, progressive and with restart markers when jpegtran is at hand).
/// </summary>
internal sealed class ImageTarget(string name, string extension) : FuzzTarget
{
    /// <summary>The pixel limit: a megapixel, as the server sets it for its models' sizes, rather than the image folders'
    /// 64 (8192²). A small JPEG may legitimately decode to 16 megapixels in seconds (afl's first round found one: 664 bytes,
    /// 65,308 × 253); at this limit afl spends its time in the decoder's logic rather than in filling large pictures.</summary>
    private const long MaxPixels = 1 << 20;

    private static readonly ImageFolderOptions Grey = new ImageFolderOptions { ImageSize = 8, Color = ImageColor.Grey }.Resolve();

    private static readonly ImageFolderOptions Colour = new ImageFolderOptions
        { ImageSize = 16, Crop = 20, Color = ImageColor.Rgb, Background = ImageBackground.White }.Resolve();

    public override string Name => name;

    public override string Description => $"ImageDecoder.DecodeRgba (a {extension} file) and ImagePreprocessing.Apply";

    public override string? Run(byte[] input, Scratch scratch)
    {
        byte[] rgba;
        int width, height;
        try
        {
            (rgba, width, height) = ImageDecoder.DecodeRgba(input, MaxPixels);
        }
        catch (ImageDecodeException e)
        {
            return e.Message;
        }
        if (PngHeader.TryRead(input) is { } header && (header.Width != width || header.Height != height))
            throw new InvalidOperationException($"decoded {width}×{height} from a PNG whose IHDR says {header.Width}×{header.Height}");
        ImagePreprocessing.Apply(rgba, width, height, Grey, new byte[8 * 8]);
        ImagePreprocessing.Apply(rgba, width, height, Colour, new byte[3 * 16 * 16]);
        return null;
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds(Scratch scratch) => extension == ".png" ? PngSeeds() : JpegSeeds(scratch);

    // A Fashion-MNIST test picture (28×28 grey), the real thing the png and jpeg seeds are made of, and its value at (x, y).
    private static Func<int, int, int> Garment()
    {
        var images = IdxReader.ReadImages("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
        var first = images.Data.AsSpan(0, 28 * 28).ToArray();
        return (x, y) => first[y * 28 + x];
    }

    private static IEnumerable<(string, byte[])> PngSeeds()
    {
        var g = Garment();
        int W(int x, int y, int c) => (g(x, y) + 70 * c) % 256;   // a colour version: the channels offset
        yield return ("grey8.png", PngEncoder.Encode(28, 28, 0, 8, false, (x, y, _) => g(x, y)));
        yield return ("grey1-adam7.png", PngEncoder.Encode(28, 28, 0, 1, true, (x, y, _) => g(x, y) >> 7));
        yield return ("grey4.png", PngEncoder.Encode(13, 9, 0, 4, false, (x, y, _) => g(x + 7, y + 9) >> 4));
        yield return ("grey16.png", PngEncoder.Encode(12, 12, 0, 16, false, (x, y, _) => g(x + 8, y + 8) * 257));
        yield return ("rgb8-adam7.png", PngEncoder.Encode(14, 11, 2, 8, true, (x, y, c) => W(x + 7, y + 8, c)));
        yield return ("rgb16.png", PngEncoder.Encode(6, 5, 2, 16, false, (x, y, c) => W(x + 11, y + 11, c) * 257));
        byte[] palette = [0, 0, 0, 255, 255, 255, 200, 30, 30, 30, 200, 30];
        yield return ("palette2-trns.png", PngEncoder.Encode(10, 10, 3, 2, false, (x, y, _) => g(x + 9, y + 9) >> 6, palette, [0, 255, 128]));
        yield return ("palette8-adam7.png", PngEncoder.Encode(9, 9, 3, 8, true, (x, y, _) => g(x + 9, y + 9) % 4, palette));
        yield return ("greyalpha8.png", PngEncoder.Encode(10, 10, 4, 8, false, (x, y, c) => c == 0 ? g(x + 9, y + 9) : 255 - g(x + 9, y + 9)));
        yield return ("rgba8.png", PngEncoder.Encode(16, 16, 6, 8, false, (x, y, c) => c == 3 ? 128 + y * 8 : W(x + 6, y + 6, c)));
        yield return ("rgba16-adam7.png", PngEncoder.Encode(5, 7, 6, 16, true, (x, y, c) => (c == 3 ? 200 : W(x + 12, y + 10, c)) * 257));
    }

    private static IEnumerable<(string, byte[])> JpegSeeds(Scratch scratch)
    {
        var g = Garment();
        byte[] Jpeg(int width, int height, int channels, Func<int, int, int, int> sample, int quality)
        {
            var pixels = new byte[width * height * channels];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    for (int c = 0; c < channels; c++) pixels[(y * width + x) * channels + c] = (byte)sample(x, y, c);
            var stream = new MemoryStream();
            new ImageWriter().WriteJpg(pixels, width, height, channels == 1 ? ColorComponents.Grey : ColorComponents.RedGreenBlue, stream, quality);
            return stream.ToArray();
        }
        var grey = Jpeg(28, 28, 1, (x, y, _) => g(x, y), 90);
        var colour = Jpeg(28, 20, 3, (x, y, c) => (g(x, y + 4) + 70 * c) % 256, 80);
        yield return ("grey-baseline.jpg", grey);
        yield return ("colour-baseline.jpg", colour);
        yield return ("colour-q100.jpg", Jpeg(9, 7, 3, (x, y, c) => (g(x + 9, y + 10) + 70 * c) % 256, 100));
        foreach (var (suffix, args) in new[] { ("progressive", "-progressive"), ("restart", "-restart 1B"), ("optimized", "-optimize") })
            if (Jpegtran(scratch, colour, args) is { } bytes) yield return ($"colour-{suffix}.jpg", bytes);
        if (Jpegtran(scratch, grey, "-progressive") is { } p) yield return ("grey-progressive.jpg", p);
    }

    // The JPEG transformed losslessly by libjpeg-turbo's jpegtran (Debian's libjpeg-turbo-progs), or null without it.
    private static byte[]? Jpegtran(Scratch scratch, byte[] jpeg, string arguments)
    {
        if (!File.Exists("/usr/bin/jpegtran")) return null;
        string input = scratch.Write("in.jpg", jpeg), output = scratch.PathOf("out.jpg");
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/jpegtran", $"{arguments} -outfile {output} {input}") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode == 0 ? File.ReadAllBytes(output) : null;
    }
}
