using Elbo.Data;
using Elbo.Reporting;

namespace Elbo.Server.Inputs;

/// <summary>
/// A picture sent as a base64 PNG, made into an example of the model's shape. The PNG's header is read first
/// (<see cref="PngHeader.TryRead"/>, 24 bytes): a picture that is not of the model's width and height is refused
/// before anything is decoded, so a small file declaring 100,000 × 100,000 pixels (a decompression bomb) costs
/// nothing. The pixels are decoded by StbImageSharp (<see cref="ImageDecoder"/>) and converted to the model's channels
/// by <see cref="ImagePreprocessing"/>, as the run's own pictures were (at the same size its area filter copies
/// pixels unchanged): alpha over the run's background, grey as the BT.601 luma.
/// </summary>
internal static class PngInput
{
    private const string DataUrlPrefix = "data:image/png;base64,";

    /// <summary>The example (C·H·W values in [0, 1], planar) in <paramref name="base64"/>, written to
    /// <paramref name="destination"/>.</summary>
    /// <exception cref="ApiException">400 naming <paramref name="field"/>: not base64, not a PNG, another size, corrupt.</exception>
    public static void Decode(string? base64, DataShape shape, ImageBackground background, string field, Span<float> destination)
    {
        if (string.IsNullOrEmpty(base64)) throw ApiException.Bad(field, $"{field}: a base64 PNG is needed, got {(base64 is null ? "null" : "an empty string")}");
        string text = base64.StartsWith(DataUrlPrefix, StringComparison.OrdinalIgnoreCase) ? base64[DataUrlPrefix.Length..] : base64;
        var bytes = new byte[text.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(text, bytes, out int length))
            throw ApiException.Bad(field, $"{field}: not valid base64");
        var png = bytes.AsSpan(0, length);
        var header = PngHeader.TryRead(png)
            ?? throw ApiException.Bad(field, $"{field}: not a PNG file (no PNG signature and IHDR header)");
        if (header.Width != shape.Width || header.Height != shape.Height)
            throw ApiException.Bad(field, $"{field}: a {header.Width}×{header.Height} PNG, and the model takes {shape.Width}×{shape.Height} pictures");
        if (shape.Width != shape.Height)
            throw ApiException.Bad(field, $"{field}: PNG input needs square pictures; send this model's {shape.Width}×{shape.Height} examples as values");
        byte[] rgba;
        try
        {
            (rgba, _, _) = ImageDecoder.DecodeRgba(png.ToArray(), maxPixels: (long)shape.Width * shape.Height);
        }
        catch (ImageDecodeException e)
        {
            throw ApiException.Bad(field, $"{field}: {e.Message}");
        }
        var options = new ImageFolderOptions
        {
            ImageSize = shape.Width, Crop = shape.Width, Background = background,
            Color = shape.Channels == 1 ? ImageColor.Grey : ImageColor.Rgb,
        };
        var pixels = new byte[shape.Features];
        ImagePreprocessing.Apply(rgba, shape.Width, shape.Height, options, pixels);
        for (int i = 0; i < pixels.Length; i++) destination[i] = pixels[i] / 255f;
    }
}
