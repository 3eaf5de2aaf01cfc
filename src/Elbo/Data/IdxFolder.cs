namespace Elbo.Data;

/// <summary>
/// A folder holding a dataset as the four MNIST-style IDX files: <c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, each raw or gzipped
/// (<c>.gz</c>); the dotted spelling <c>train-images.idx3-ubyte</c> found in some copies is accepted too.
/// </summary>
public static class IdxFolder
{
    /// <summary>The training images file name, without the .gz suffix.</summary>
    public const string TrainImages = "train-images-idx3-ubyte";

    /// <summary>The training labels file name, without the .gz suffix.</summary>
    public const string TrainLabels = "train-labels-idx1-ubyte";

    /// <summary>The test images file name, without the .gz suffix.</summary>
    public const string TestImages = "t10k-images-idx3-ubyte";

    /// <summary>The test labels file name, without the .gz suffix.</summary>
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>The four file names in the order train images, train labels, test images, test labels.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The path of <paramref name="fileName"/> (one of <see cref="FileNames"/>) in
    /// <paramref name="folder"/>, raw or gzipped, or null when it is not there.</summary>
    public static string? Find(string folder, string fileName)
    {
        string dotted = DottedName(fileName);
        foreach (string candidate in (ReadOnlySpan<string>)[fileName, fileName + ".gz", dotted, dotted + ".gz"])
        {
            string path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>The file names (of <see cref="FileNames"/>) that <paramref name="folder"/> lacks.</summary>
    public static IReadOnlyList<string> Missing(string folder) => FileNames.Where(f => Find(folder, f) is null).ToList();

    /// <summary>Loads the train and test splits from <paramref name="folder"/>.</summary>
    /// <exception cref="DataNotFoundException">The folder or some of the files are missing.</exception>
    /// <exception cref="DataFormatException">A file is invalid, or the files disagree with each other.</exception>
    public static DatasetSplits Load(string name, string folder)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(folder);
        if (File.Exists(folder))
            throw new DataNotFoundException($"data folder {folder} is a file: give the folder that holds the four IDX files");
        if (!Directory.Exists(folder))
            throw new DataNotFoundException($"data folder {folder} does not exist (--data takes mnist, fashion-mnist, ring, a folder of IDX files or a folder of pictures)");
        var missing = Missing(folder);
        if (missing.Count > 0)
            throw new DataNotFoundException(
                $"data folder {folder} is missing {string.Join(", ", missing.Select(m => m + "[.gz]"))} (it needs the four MNIST-style IDX files)");
        string trainImages = Find(folder, TrainImages)!, testImages = Find(folder, TestImages)!;
        var train = Dataset.FromIdx($"{name}/train", trainImages, Find(folder, TrainLabels)!);
        var test = Dataset.FromIdx($"{name}/test", testImages, Find(folder, TestLabels)!);
        if (test.Channels != train.Channels || test.Height != train.Height || test.Width != train.Width)
            throw new DataFormatException(testImages,
                $"test images are {test.Height} × {test.Width} but the training images ({Path.GetFileName(trainImages)}) are {train.Height} × {train.Width}");
        return new DatasetSplits(name, folder, train, test);
    }

    private static string DottedName(string fileName)
    {
        // train-images-idx3-ubyte -> train-images.idx3-ubyte
        int at = fileName.LastIndexOf("-idx", StringComparison.Ordinal);
        return at < 0 ? fileName : string.Concat(fileName.AsSpan(0, at), ".", fileName.AsSpan(at + 1));
    }
}
