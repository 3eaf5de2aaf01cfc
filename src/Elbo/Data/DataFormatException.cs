namespace Elbo.Data;

/// <summary>A data file exists but cannot be used: not an IDX file, an unsupported element type, sizes that do not
/// match the file's length, corrupt gzip data, or image and label files that disagree. The message is one line that
/// names the file and what is wrong.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="filePath"/>; the message is "<c>filePath: problem</c>".</summary>
    public DataFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file at fault, as it was named to the reader.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}
