using Elbo.Data;
namespace Elbo.Imaging;

/// <summary>Lays batches of images out as one picture, the way torchvision's make_grid does: tiles in row-major
/// order, <c>padding</c> pixels of <c>paddingValue</c> around and between every tile (so a grid of R×C tiles of
/// H×W is (C·(W+p)+p) × (R·(H+p)+p) before scaling), empty cells filled with the padding value.
/// <para>Input is float data in [0,1], planar per image (N, C, H, W) with C = 1 (grey) or 3 (RGB). Each value is
/// clamped to [0,1] (NaN becomes 0) and mapped to a byte by round(v·255), halves rounding up. The whole grid,
/// padding included, can be enlarged by an integer <c>scale</c> with nearest-neighbour sampling.</para></summary>
public static class ImageGrid
{
    /// <summary>Columns (and, for 64 samples, rows) of the prior-samples picture.</summary>
    public const int SampleColumns = 8;

    /// <summary>Default number of pairs, and pairs per row, in the reconstructions picture.</summary>
    public const int ReconstructionColumns = 8;

    /// <summary>Composes <paramref name="count"/> images of <paramref name="channels"/>×<paramref name="height"/>×
    /// <paramref name="width"/> floats (planar, one after another) into a grid <paramref name="columns"/> tiles wide
    /// (fewer if there are fewer images), as many rows as needed.</summary>
    /// <exception cref="ArgumentException">The shape is not a grey or RGB image, the data length is not
    /// count×C×H×W, or a layout parameter is out of range.</exception>
    public static Image Compose(ReadOnlySpan<float> images, int count, int channels, int height, int width, int columns,
        int padding = 2, float paddingValue = 1f, int scale = 1)
    {
        var shape = DataShape.Image(channels, height, width);
        shape.Validate(nameof(channels));
        if (count < 1)
            throw new ArgumentException($"A grid needs at least one image, got count {count}.", nameof(count));
        long expected = (long)count * shape.Features;
        if (images.Length != expected)
            throw new ArgumentException(
                $"{count} image(s) of shape {shape} need {expected} values, got {images.Length}.", nameof(images));
        if (columns < 1)
            throw new ArgumentException($"A grid needs at least one column, got {columns}.", nameof(columns));
        CheckLayout(padding, scale);

        int cols = Math.Min(columns, count);
        int rows = (count + cols - 1) / cols;
        Image canvas = CreateCanvas(rows, cols, shape, padding, paddingValue);
        int features = shape.Features;
        for (int i = 0; i < count; i++)
            DrawTile(canvas, images.Slice(i * features, features), shape, padding, i / cols, i % cols);
        return canvas.Upscale(scale);
    }

    /// <summary>Composes a batch tensor: (N, C, H, W), or (N, …) with <paramref name="shape"/> giving C×H×W.</summary>
    /// <exception cref="ArgumentException">The tensor does not hold images of the given or implied shape.</exception>
    public static Image Compose(Tensor images, int columns, DataShape? shape = null, int padding = 2,
        float paddingValue = 1f, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(images);
        (DataShape s, int count) = BatchShape(images, shape, nameof(images));
        return Compose(images.Data, count, s.Channels, s.Height, s.Width, columns, padding, paddingValue, scale);
    }

    /// <summary>The prior-samples picture: the images of <paramref name="samples"/> (any count; 64 make the 8×8 grid
    /// of the training output) in rows of <see cref="SampleColumns"/>, 2 pixels of white padding.</summary>
    /// <exception cref="ArgumentException">The data does not split into whole images of <paramref name="shape"/>
    /// (for example tabular data, which has no picture).</exception>
    public static Image Samples(ReadOnlySpan<float> samples, DataShape shape, int scale = 1)
    {
        int count = CountImages(samples.Length, shape, nameof(samples));
        return Compose(samples, count, shape.Channels, shape.Height, shape.Width, SampleColumns, scale: scale);
    }

    /// <summary>The prior-samples picture from a batch tensor: (N, C, H, W), or (N, …) with <paramref name="shape"/>.</summary>
    public static Image Samples(Tensor samples, DataShape? shape = null, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(samples);
        (DataShape s, _) = BatchShape(samples, shape, nameof(samples));
        return Samples(samples.Data, s, scale);
    }

    /// <summary>The reconstructions picture: the first <paramref name="n"/> inputs (or all, if fewer) with their
    /// reconstructions. Pairs go in bands of <paramref name="columns"/>: each band is a row of inputs directly above
    /// the row of their reconstructions, so with the defaults 8 pairs make 2 rows and 16 pairs make 4 rows (inputs
    /// 0–7, reconstructions 0–7, inputs 8–15, reconstructions 8–15).</summary>
    /// <exception cref="ArgumentException">The data does not split into whole images of <paramref name="shape"/>,
    /// the two batches differ in size, or a layout parameter is out of range.</exception>
    public static Image Reconstructions(ReadOnlySpan<float> inputs, ReadOnlySpan<float> reconstructions, DataShape shape,
        int n = ReconstructionColumns, int columns = ReconstructionColumns, int padding = 2, float paddingValue = 1f,
        int scale = 1)
    {
        int count = CountImages(inputs.Length, shape, nameof(inputs));
        int recCount = CountImages(reconstructions.Length, shape, nameof(reconstructions));
        if (recCount != count)
            throw new ArgumentException(
                $"{count} input image(s) but {recCount} reconstruction(s); they must pair up.", nameof(reconstructions));
        if (n < 1)
            throw new ArgumentException($"The reconstructions picture needs at least one pair, got n = {n}.", nameof(n));
        if (columns < 1)
            throw new ArgumentException($"A grid needs at least one column, got {columns}.", nameof(columns));
        CheckLayout(padding, scale);

        int pairs = Math.Min(n, count);
        int cols = Math.Min(columns, pairs);
        int bands = (pairs + cols - 1) / cols;
        Image canvas = CreateCanvas(2 * bands, cols, shape, padding, paddingValue);
        int features = shape.Features;
        for (int i = 0; i < pairs; i++)
        {
            int band = i / cols, col = i % cols;
            DrawTile(canvas, inputs.Slice(i * features, features), shape, padding, 2 * band, col);
            DrawTile(canvas, reconstructions.Slice(i * features, features), shape, padding, 2 * band + 1, col);
        }
        return canvas.Upscale(scale);
    }

    /// <summary>The reconstructions picture from batch tensors: (N, C, H, W), or (N, …) with <paramref name="shape"/>.</summary>
    public static Image Reconstructions(Tensor inputs, Tensor reconstructions, DataShape? shape = null,
        int n = ReconstructionColumns, int columns = ReconstructionColumns, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(reconstructions);
        (DataShape s, _) = BatchShape(inputs, shape, nameof(inputs));
        BatchShape(reconstructions, s, nameof(reconstructions));
        return Reconstructions(inputs.Data, reconstructions.Data, s, n, columns, scale: scale);
    }

    /// <summary>The byte for a float intensity: clamped to [0,1], NaN as 0, round(v·255) with halves up.</summary>
    public static byte ToByte(float value)
    {
        if (!(value > 0f))
            return 0;   // also NaN
        if (value >= 1f)
            return 255;
        return (byte)(value * 255f + 0.5f);
    }

    private static void CheckLayout(int padding, int scale)
    {
        if (padding < 0)
            throw new ArgumentException($"Padding cannot be negative, got {padding}.", nameof(padding));
        if (scale < 1)
            throw new ArgumentException($"Scale must be at least 1, got {scale}.", nameof(scale));
    }

    private static int CountImages(int length, DataShape shape, string paramName)
    {
        shape.Validate(nameof(shape));
        int features = shape.Features;
        if (length == 0)
            throw new ArgumentException("There are no images to draw.", paramName);
        if (length % features != 0)
            throw new ArgumentException(
                $"{length} values do not split into images of shape {shape} ({features} values each); only image data can be drawn.",
                paramName);
        return length / features;
    }

    private static (DataShape Shape, int Count) BatchShape(Tensor batch, DataShape? shape, string paramName)
    {
        ReadOnlySpan<int> dims = batch.Shape;
        if (shape is null)
        {
            if (dims.Length != 4)
                throw new ArgumentException(
                    $"Drawing needs an (N, C, H, W) image batch or an explicit image shape, got a tensor of shape {batch.ShapeString}.",
                    paramName);
            var implied = DataShape.Image(dims[1], dims[2], dims[3]);
            implied.Validate(paramName);
            if (dims[0] < 1)
                throw new ArgumentException("There are no images to draw.", paramName);
            return (implied, dims[0]);
        }
        DataShape s = shape.Value;
        s.Validate(nameof(shape));
        if (dims.Length < 2 || dims[0] < 1)
            throw new ArgumentException(
                $"Drawing needs a batch (N, ...) of at least one example, got a tensor of shape {batch.ShapeString}.", paramName);
        long perExample = batch.Numel / dims[0];
        bool dimsMatch = dims.Length != 4 || (dims[1] == s.Channels && dims[2] == s.Height && dims[3] == s.Width);
        if (perExample != s.Features || !dimsMatch)
            throw new ArgumentException(
                $"A tensor of shape {batch.ShapeString} ({perExample} features per example) does not hold images of shape {s} ({s.Features}); only image data can be drawn.",
                paramName);
        return (s, dims[0]);
    }

    private static Image CreateCanvas(int rows, int cols, DataShape shape, int padding, float paddingValue)
    {
        long width = (long)cols * (shape.Width + padding) + padding;
        long height = (long)rows * (shape.Height + padding) + padding;
        if (width > int.MaxValue || height > int.MaxValue || width * height * shape.Channels > Array.MaxLength)
            throw new ArgumentException($"A grid of {rows}x{cols} images of shape {shape} is too large.", nameof(rows));
        var pixels = new byte[width * height * shape.Channels];
        pixels.AsSpan().Fill(ToByte(paddingValue));
        return new Image(pixels, (int)width, (int)height, shape.Channels);
    }

    // tile (C, H, W) planar → canvas interleaved, top-left corner of cell (row, col).
    private static void DrawTile(Image canvas, ReadOnlySpan<float> tile, DataShape shape, int padding, int row, int col)
    {
        int channels = shape.Channels, h = shape.Height, w = shape.Width, plane = h * w;
        int left = padding + col * (w + padding);
        int top = padding + row * (h + padding);
        byte[] pixels = canvas.Pixels;
        for (int y = 0; y < h; y++)
        {
            int target = ((top + y) * canvas.Width + left) * channels;
            for (int x = 0; x < w; x++)
                for (int c = 0; c < channels; c++)
                    pixels[target + x * channels + c] = ToByte(tile[c * plane + y * w + x]);
        }
    }
}
