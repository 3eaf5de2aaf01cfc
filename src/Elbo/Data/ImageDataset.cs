namespace Elbo.Data;

/// <summary>
/// A set of images held in memory: float32 pixels scaled to [0, 1], stored contiguously as N × C × H × W (one
/// channel for IDX data), with an integer label per image (-1 when the data has none).
/// </summary>
public sealed class ImageDataset
{
    /// <summary>How IDX bytes become pixels: divided by 255 (recorded in config.json).</summary>
    public const string ScaleBy255 = "scale 1/255";

    private static readonly float[] ByteToUnit = MakeByteTable();

    private readonly float[] _pixels;
    private readonly int[] _labels;

    /// <summary>Wraps <paramref name="pixels"/> (N × C × H × W, row-major, already normalized) and
    /// <paramref name="labels"/> (N, or null for none). The arrays are used as they are, not copied.</summary>
    public ImageDataset(string name, float[] pixels, int[]? labels, int channels, int height, int width, string normalization)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        long features = (long)channels * height * width;
        if (features > int.MaxValue) throw new ArgumentException($"dataset {name}: images of {channels}×{height}×{width} are too large");
        if (pixels.Length % features != 0)
            throw new ArgumentException($"dataset {name}: {pixels.Length} pixels is not a whole number of {channels}×{height}×{width} images");
        int count = (int)(pixels.Length / features);
        if (labels is not null && labels.Length != count)
            throw new ArgumentException($"dataset {name}: {labels.Length} labels for {count} images");
        Name = name;
        _pixels = pixels;
        Channels = channels;
        Height = height;
        Width = width;
        Features = (int)features;
        Count = count;
        HasLabels = labels is not null;
        _labels = labels ?? Enumerable.Repeat(-1, count).ToArray();
        Normalization = normalization;
    }

    /// <summary>Builds a dataset from an IDX images file (N × rows × columns, uint8) and, if given, its labels
    /// file (N, uint8): pixels are divided by 255.</summary>
    /// <exception cref="DataFormatException">A file is invalid, holds no images, or the counts disagree.</exception>
    public static ImageDataset FromIdx(string name, string imagesPath, string? labelsPath)
    {
        IdxFile images = IdxReader.ReadImages(imagesPath);
        int n = images.Dimensions[0], h = images.Dimensions[1], w = images.Dimensions[2];
        if (n == 0) throw new DataFormatException(imagesPath, "holds no images (N = 0)");
        if (h == 0 || w == 0) throw new DataFormatException(imagesPath, $"images of {h} × {w} pixels");
        int[]? labels = null;
        if (labelsPath is not null)
        {
            IdxFile labelFile = IdxReader.ReadLabels(labelsPath);
            if (labelFile.Count != n)
                throw new DataFormatException(labelsPath, $"{labelFile.Count} labels for the {n} images of {Path.GetFileName(imagesPath)}");
            labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = labelFile.Data[i];
        }
        var pixels = new float[images.Data.Length];
        ReadOnlySpan<byte> bytes = images.Data;
        for (int i = 0; i < pixels.Length; i++) pixels[i] = ByteToUnit[bytes[i]];
        return new ImageDataset(name, pixels, labels, 1, h, w, ScaleBy255);
    }

    /// <summary>A name for messages and config files (e.g. "fashion-mnist/train").</summary>
    public string Name { get; }

    /// <summary>The number of images.</summary>
    public int Count { get; }

    /// <summary>Channels per image (1 for IDX data).</summary>
    public int Channels { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Values per image: Channels × Height × Width.</summary>
    public int Features { get; }

    /// <summary>Whether the data came with labels (otherwise every label is -1).</summary>
    public bool HasLabels { get; }

    /// <summary>How raw values were turned into pixels, for config.json (e.g. "scale 1/255").</summary>
    public string Normalization { get; }

    /// <summary>All pixels, N × C × H × W row-major.</summary>
    public ReadOnlySpan<float> Pixels => _pixels;

    /// <summary>All labels (-1 where there is none).</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The pixels of image <paramref name="index"/> (C × H × W).</summary>
    public ReadOnlySpan<float> Image(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"dataset {Name} has {Count} images");
        return _pixels.AsSpan(index * Features, Features);
    }

    /// <summary>The label of image <paramref name="index"/> (-1 when there is none).</summary>
    public int Label(int index) => _labels[index];

    private static float[] MakeByteTable()
    {
        var table = new float[256];
        for (int i = 0; i < 256; i++) table[i] = i / 255f;
        return table;
    }
}
