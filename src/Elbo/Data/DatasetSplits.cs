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
}
