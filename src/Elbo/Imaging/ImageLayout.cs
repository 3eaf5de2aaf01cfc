namespace Elbo.Imaging;

/// <summary>Places whole pictures next to each other (e.g. two models' sample grids side by side).</summary>
public static class ImageLayout
{
    /// <summary>The images left to right, top-aligned, <paramref name="gap"/> pixels apart, on a background of
    /// <paramref name="background"/> (0 black … 255 white). Grey images are widened to RGB when any image is RGB.</summary>
    public static Image Beside(IReadOnlyList<Image> images, int gap = 8, byte background = 255)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new ArgumentException("nothing to lay out", nameof(images));
        ArgumentOutOfRangeException.ThrowIfNegative(gap);
        int channels = 1, width = gap * (images.Count - 1), height = 0;
        foreach (var image in images)
        {
            channels = Math.Max(channels, image.Channels);
            width += image.Width;
            height = Math.Max(height, image.Height);
        }
        var pixels = new byte[(long)width * height * channels];
        pixels.AsSpan().Fill(background);
        int left = 0;
        foreach (var image in images)
        {
            for (int y = 0; y < image.Height; y++)
                for (int x = 0; x < image.Width; x++)
                    for (int c = 0; c < channels; c++)
                        pixels[((long)y * width + left + x) * channels + c] = image.Pixels[((long)y * image.Width + x) * image.Channels + Math.Min(c, image.Channels - 1)];
            left += image.Width + gap;
        }
        return new Image(pixels, width, height, channels);
    }
}
