namespace Elbo.Data;

/// <summary>A dataset's own train and test split, and where it was loaded from.</summary>
/// <param name="Name">The dataset's name ("mnist", "fashion-mnist", or the folder's name).</param>
/// <param name="Directory">The folder the files were read from.</param>
/// <param name="Train">The training images.</param>
/// <param name="Test">The test images (same image shape as <paramref name="Train"/>).</param>
public sealed record DatasetSplits(string Name, string Directory, Dataset Train, Dataset Test)
{
    /// <summary>The shape of every example and the kind of data, the same in both splits.</summary>
    public DataShape Shape => Train.Shape;

    /// <summary>The number of classes, labels 0 … max over both splits plus one; null when a split has no labels.</summary>
    public int? Classes
    {
        get
        {
            if (!Train.HasLabels || !Test.HasLabels) return null;
            int max = -1;
            foreach (int label in Train.Labels) max = Math.Max(max, label);
            foreach (int label in Test.Labels) max = Math.Max(max, label);
            return max < 0 ? null : max + 1;
        }
    }

    /// <summary>For table data: the schema that encodes the rows (and decodes model outputs), to keep in config.json;
    /// null for other data.</summary>
    public Tables.TableSchema? TableSchema { get; init; }

    /// <summary>The label names by label when the data bring their own (an image folder's class folders); null
    /// otherwise (<see cref="Data.ClassNames.For"/> knows those of the named datasets).</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Pictures of an image folder that were left out because they could not be decoded (empty otherwise).</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; init; } = [];

    /// <summary>How an image folder's pictures were prepared (resolved); null for other data.</summary>
    public ImageFolderOptions? Preprocessing { get; init; }

    /// <summary>Whether the data are a folder of pictures (natural images, for which defaults differ).</summary>
    public bool IsImageFolder => Preprocessing is not null;
}
