namespace Elbo.Reporting;

/// <summary>A file of a run folder that the report reads but cannot use (a PNG that is not a PNG, an SVG that is not
/// well-formed, a malformed eval.json or metrics.jsonl). The message is one line and starts with the file's path. It
/// is an <see cref="IOException"/>: a problem with a file's content, which callers report like other I/O failures.</summary>
public sealed class ReportFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>; the message is "<c>path: problem</c>".</summary>
    public ReportFormatException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem.ReplaceLineEndings(" ")}", innerException)
    {
        FilePath = path;
    }

    /// <summary>The file that could not be used.</summary>
    public string FilePath { get; }
}
