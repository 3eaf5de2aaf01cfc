namespace Elbo.Data;

/// <summary>A dataset could not be found or fetched: a package that is not installed, a folder without the IDX files,
/// or a download that failed on every mirror. The message is one line and says how to get the data.</summary>
public sealed class DataNotFoundException : Exception
{
    /// <summary>Creates the exception with a one-line <paramref name="message"/>.</summary>
    public DataNotFoundException(string message, Exception? inner = null) : base(message, inner) { }
}
