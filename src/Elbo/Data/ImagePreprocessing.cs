namespace Elbo.Data;

/// <summary>
/// Turns one decoded picture (8-bit RGBA, interleaved, top row first, as StbImageSharp returns it) into an example as
/// <see cref="ImageFolderOptions"/> say: alpha composited over the background, the centred crop (padded with the
/// background where it is larger than the picture, like torchvision's <c>CenterCrop</c>, with its rounding of the
/// offsets), grey as the BT.601 luma if asked, then area-resampled (<see cref="AreaFilter"/>) to the image size and
/// rounded to bytes, stored planar (C, H, W) as the model takes them. Compositing and luma are linear, so they are
/// applied per source pixel before averaging, which is what compositing first and resizing afterwards gives.
/// </summary>
public static class ImagePreprocessing
{
    /// <summary>Writes the example made from <paramref name="rgba"/> (<paramref name="width"/> × <paramref name="height"/>
    /// pixels) into <paramref name="destination"/> (C·S·S bytes for the resolved <paramref name="options"/>).</summary>
    public static void Apply(ReadOnlySpan<byte> rgba, int width, int height, ImageFolderOptions options, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (rgba.Length != (long)width * height * 4) throw new ArgumentException($"{rgba.Length} bytes for {width}×{height} RGBA", nameof(rgba));
        int size = options.ImageSize ?? ImageFolderOptions.DefaultImageSize;
        bool grey = (options.Color ?? ImageColor.Rgb) == ImageColor.Grey;
        int channels = grey ? 1 : 3;
        if (destination.Length != channels * size * size)
            throw new ArgumentException($"{destination.Length} bytes for {channels}×{size}×{size}", nameof(destination));
        float background = (options.Background ?? ImageBackground.Black) == ImageBackground.White ? 255f : 0f;
        int crop = options.Crop ?? Math.Min(width, height);
        int top = CropOffset(height, crop), left = CropOffset(width, crop);

        var filter = new AreaFilter(crop, size);
        var row = new float[crop * channels];            // one cropped source row, composited
        var rows = new float[crop * size * channels];    // every cropped row, resampled across
        for (int r = 0; r < crop; r++)
        {
            int y = top + r;
            for (int j = 0; j < crop; j++)
            {
                int x = left + j;
                if ((uint)y >= (uint)height || (uint)x >= (uint)width)
                {
                    for (int c = 0; c < channels; c++) row[j * channels + c] = background;
                    continue;
                }
                int at = (y * width + x) * 4;
                float alpha = rgba[at + 3] * (1f / 255f);
                float red = background + (rgba[at] - background) * alpha;
                float green = background + (rgba[at + 1] - background) * alpha;
                float blue = background + (rgba[at + 2] - background) * alpha;
                if (grey) row[j] = 0.299f * red + 0.587f * green + 0.114f * blue;
                else
                {
                    row[j * 3] = red;
                    row[j * 3 + 1] = green;
                    row[j * 3 + 2] = blue;
                }
            }
            filter.Apply(row, rows.AsSpan(r * size * channels, size * channels), channels);
        }
        int plane = size * size;
        for (int o = 0; o < size; o++)
        {
            int first = filter.First(o);
            var weights = filter.Weights(o);
            for (int i = 0; i < size; i++)
                for (int c = 0; c < channels; c++)
                {
                    float sum = 0;
                    for (int t = 0; t < weights.Length; t++) sum += weights[t] * rows[((first + t) * size + i) * channels + c];
                    destination[c * plane + o * size + i] = ToByte(sum);
                }
        }
    }

    /// <summary>torchvision's centre-crop offset: round((side − crop) / 2), halves to even; negative when the crop pads.</summary>
    public static int CropOffset(int side, int crop) => (int)Math.Round((side - crop) / 2.0, MidpointRounding.ToEven);

    private static byte ToByte(float v) => v <= 0f ? (byte)0 : v >= 255f ? (byte)255 : (byte)(v + 0.5f);
}
