using System.Numerics.Tensors;

namespace Elbo.Data;

/// <summary>
/// A data set held in memory: N examples of one <see cref="DataShape"/> (images N × C × H × W row-major, one channel for
/// IDX data, 1 or 3 for image folders; table rows and points N × 1 × 1 × D) with the kind of data they are, and an
/// integer label per example (-1 when the data has none). Values are float32 as the model sees them; IDX data and image
/// folders stay in memory as their bytes (a quarter of the size: 47 MB instead of 188 MB for Fashion-MNIST's training
/// split) and are scaled by 1/255 as images are copied out (<see cref="CopyImage"/>); two splits of one image folder
/// share its bytes, each through its own list of rows (<see cref="FromBytes"/>).
/// </summary>
public sealed class Dataset
{
    /// <summary>How IDX bytes become pixels: divided by 255 (recorded in config.json).</summary>
    public const string ScaleBy255 = "scale 1/255";

    private readonly float[]? _floats;
    private readonly ImageBytes? _bytes;
    private readonly int[]? _rows;
    private readonly int[] _labels;

    /// <summary>Wraps <paramref name="values"/> (N examples of <paramref name="shape"/>, row-major, already normalized)
    /// and <paramref name="labels"/> (N, or null for none). The arrays are used as they are, not copied.</summary>
    public Dataset(string name, float[] values, int[]? labels, DataShape shape, string normalization)
        : this(name, values, null, null, CountOf(name, values?.Length ?? 0, shape), labels, shape, normalization)
    {
    }

    // Bytes b stand for pixels b / 255.
    private Dataset(string name, byte[] bytes, int[]? labels, DataShape shape)
        : this(name, null, new ImageBytes(bytes, FeaturesOf(name, shape)), null, CountOf(name, bytes.Length, shape), labels, shape, ScaleBy255)
    {
    }

    private Dataset(string name, float[]? floats, ImageBytes? bytes, int[]? rows, int count, int[]? labels, DataShape shape, string normalization)
    {
        if (shape.Kind == DataKind.Unspecified) throw new ArgumentException($"dataset {name}: the kind of data must be declared");
        ArgumentNullException.ThrowIfNull(name);
        if (floats is null && bytes is null) throw new ArgumentNullException("pixels");
        ArgumentNullException.ThrowIfNull(normalization);
        int features = FeaturesOf(name, shape);
        if (labels is not null && labels.Length != count)
            throw new ArgumentException($"dataset {name}: {labels.Length} labels for {count} images");
        Name = name;
        Shape = shape;
        _floats = floats;
        _bytes = bytes;
        _rows = rows;
        Channels = shape.Channels;
        Height = shape.Height;
        Width = shape.Width;
        Features = features;
        Count = count;
        HasLabels = labels is not null;
        _labels = labels ?? Enumerable.Repeat(-1, count).ToArray();
        Normalization = normalization;
    }

    /// <summary>A dataset over uint8 pixels, each byte b standing for b / 255: example i is
    /// <c>pixels[rows[i]]</c> (all of <paramref name="pixels"/> in order when <paramref name="rows"/> is null), with
    /// label <c>labels[i]</c> (null: none). Nothing is copied, so the train and test splits of one set of bytes cost
    /// no more memory than the bytes.</summary>
    /// <exception cref="ArgumentException">The shape does not match the bytes, a row is out of range, or the label
    /// count differs from the row count.</exception>
    public static Dataset FromBytes(string name, ImageBytes pixels, int[]? rows, int[]? labels, DataShape shape)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (FeaturesOf(name, shape) != pixels.Features)
            throw new ArgumentException($"dataset {name}: examples of {pixels.Features} bytes are not of shape {shape}");
        if (rows is not null)
            foreach (int r in rows)
                if ((uint)r >= (uint)pixels.Count) throw new ArgumentException($"dataset {name}: row {r} of {pixels.Count} examples");
        return new Dataset(name, null, pixels, rows, rows?.Length ?? pixels.Count, labels, shape, ScaleBy255);
    }

    private static int FeaturesOf(string name, DataShape shape)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shape.Channels, 1, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfLessThan(shape.Height, 1, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfLessThan(shape.Width, 1, nameof(shape));
        long features = (long)shape.Channels * shape.Height * shape.Width;
        if (features > int.MaxValue) throw new ArgumentException($"dataset {name}: images of {shape.Channels}×{shape.Height}×{shape.Width} are too large");
        return (int)features;
    }

    private static int CountOf(string name, int length, DataShape shape)
    {
        int features = FeaturesOf(name, shape);
        if (length % features != 0)
            throw new ArgumentException($"dataset {name}: {length} pixels is not a whole number of {shape.Channels}×{shape.Height}×{shape.Width} images");
        return length / features;
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

    /// <summary>Channels per image (1 for IDX data, 1 or 3 for image folders).</summary>
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
        TensorPrimitives.ConvertChecked<byte, float>(_bytes![_rows is null ? index : _rows[index]], target);
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

    /// <summary>Whether every value lies in [0, 1] (bytes scaled by 1/255 always do; float data are checked, NaN
    /// counting as outside).</summary>
    public bool InUnitInterval()
    {
        if (_floats is null) return true;
        foreach (float v in _floats)
            if (!(v >= 0f && v <= 1f)) return false;
        return true;
    }

    /// <summary>The label of image <paramref name="index"/> (-1 when there is none).</summary>
    public int Label(int index) => _labels[index];
}
