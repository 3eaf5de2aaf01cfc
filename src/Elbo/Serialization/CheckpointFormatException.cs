namespace Elbo.Serialization;

/// <summary>A checkpoint file (model.safetensors or config.json) that cannot be read: truncated, malformed, corrupt,
/// or not matching the model it is loaded into. The message is one line and starts with the file's path.</summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>; the message is "<c>path: problem</c>".</summary>
    public CheckpointFormatException(string path, string problem)
        : base($"{path}: {problem}")
    {
        FilePath = path;
    }

    /// <summary>Creates the exception for <paramref name="path"/> with the exception that revealed the problem.</summary>
    public CheckpointFormatException(string path, string problem, Exception innerException)
        : base($"{path}: {problem}", innerException)
    {
        FilePath = path;
    }

    /// <summary>The file that could not be read, as the caller named it.</summary>
    public string FilePath { get; }
}
