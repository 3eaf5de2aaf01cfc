using System.Numerics.Tensors;

namespace Elbo.Data;

/// <summary>
/// A data set held in memory: N examples of one <see cref="DataShape"/> (images N × C × H × W row-major, one channel for
/// IDX data; table rows and points N × 1 × 1 × D) with the kind of data they are, and an integer label per example
/// (-1 when the data has none). Values are float32 as the model sees them; IDX data stay in memory as their
/// bytes (a quarter of the size: 47 MB instead of 188 MB for Fashion-MNIST's training split) and are scaled by 1/255
/// as images are copied out (<see cref="CopyImage"/>).
/// </summary>
public sealed class Dataset
{
    /// <summary>How IDX bytes become pixels: divided by 255 (recorded in config.json).</summary>
    public const string ScaleBy255 = "scale 1/255";

    private readonly float[]? _floats;
    private readonly byte[]? _bytes;
    private readonly int[] _labels;

    /// <summary>Wraps <paramref name="values"/> (N examples of <paramref name="shape"/>, row-major, already normalized)
    /// and <paramref name="labels"/> (N, or null for none). The arrays are used as they are, not copied.</summary>
    public Dataset(string name, float[] values, int[]? labels, DataShape shape, string normalization)
        : this(name, values, null, values?.Length ?? 0, labels, shape, normalization)
    {
    }

    // Bytes b stand for pixels b / 255.
    private Dataset(string name, byte[] bytes, int[]? labels, DataShape shape)
        : this(name, null, bytes, bytes.Length, labels, shape, ScaleBy255)
    {
    }

    private Dataset(string name, float[]? floats, byte[]? bytes, int length, int[]? labels, DataShape shape, string normalization)
    {
        int channels = shape.Channels, height = shape.Height, width = shape.Width;
        if (shape.Kind == DataKind.Unspecified) throw new ArgumentException($"dataset {name}: the kind of data must be declared");
        ArgumentNullException.ThrowIfNull(name);
        if (floats is null && bytes is null) throw new ArgumentNullException("pixels");
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        long features = (long)channels * height * width;
        if (features > int.MaxValue) throw new ArgumentException($"dataset {name}: images of {channels}×{height}×{width} are too large");
        if (length % features != 0)
            throw new ArgumentException($"dataset {name}: {length} pixels is not a whole number of {channels}×{height}×{width} images");
        int count = (int)(length / features);
        if (labels is not null && labels.Length != count)
            throw new ArgumentException($"dataset {name}: {labels.Length} labels for {count} images");
        Name = name;
        Shape = shape;
        _floats = floats;
        _bytes = bytes;
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
    public static Dataset FromIdx(string name, string imagesPath, string? labelsPath)
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
        // An IDX file of N × 1 × D holds vectors, not one-pixel-high pictures: the data source declares them table rows.
        return new Dataset(name, images.Data, labels, h == 1 ? DataShape.Table(w) : DataShape.Grey(h, w));
    }

    /// <summary>A name for messages and config files (e.g. "fashion-mnist/train").</summary>
    public string Name { get; }

    /// <summary>The shape of one example and the kind of data.</summary>
    public DataShape Shape { get; }

    /// <summary>The number of examples.</summary>
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

    /// <summary>All labels (-1 where there is none).</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Writes the pixels of image <paramref name="index"/> (C × H × W) into <paramref name="destination"/>
    /// (its first <see cref="Features"/> values). Allocates nothing.</summary>
    public void CopyImage(int index, Span<float> destination)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"dataset {Name} has {Count} images");
        if (destination.Length < Features) throw new ArgumentException($"dataset {Name}: a destination of {destination.Length} values for images of {Features}");
        var target = destination[..Features];
        if (_floats is not null)
        {
            _floats.AsSpan(index * Features, Features).CopyTo(target);
            return;
        }
        TensorPrimitives.ConvertChecked<byte, float>(_bytes.AsSpan(index * Features, Features), target);
        TensorPrimitives.Divide(target, 255f, target);
    }

    /// <summary>The pixels of image <paramref name="index"/> (C × H × W), as a new array.</summary>
    public float[] Image(int index)
    {
        var result = new float[Features];
        CopyImage(index, result);
        return result;
    }

    /// <summary>All pixels, N × C × H × W row-major, as a new array.</summary>
    public float[] ToArray()
    {
        var result = new float[(long)Count * Features];
        for (int i = 0; i < Count; i++) CopyImage(i, result.AsSpan(i * Features, Features));
        return result;
    }

    /// <summary>The label of image <paramref name="index"/> (-1 when there is none).</summary>
    public int Label(int index) => _labels[index];
}
