namespace Elbo;

/// <summary>
/// The exclusive claim of one process on a run folder while it trains into it: a file <c>.elbo.lock</c> in the folder,
/// opened without sharing (on Linux .NET takes an advisory <c>flock</c> on it, which the kernel drops when the process
/// ends, however it ends), and beside it <c>.elbo.lock.owner</c> with the owner's process id for the message another
/// process gets (a file locked without sharing cannot be read by the others). Disposing releases it and deletes both.
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    /// <summary>The lock file's name in the run folder.</summary>
    public const string FileName = ".elbo.lock";

    /// <summary>The file naming the lock's owner.</summary>
    public const string OwnerFileName = ".elbo.lock.owner";

    private readonly FileStream _stream;
    private readonly string _path;
    private bool _released;

    private RunFolderLock(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    /// <summary>Claims <paramref name="folder"/> (created if missing).</summary>
    /// <exception cref="RunFolderInUseException">Another process (or another claim in this one) holds it.</exception>
    public static RunFolderLock Acquire(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            string owner = "another elbo process";
            try
            {
                string text = File.ReadAllText(Path.Combine(folder, OwnerFileName)).Trim();
                if (int.TryParse(text, out int pid)) owner = $"another elbo process (pid {pid})";
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            throw new RunFolderInUseException($"{folder} is in use: {owner} is training into it; wait for it to finish or choose another --out");
        }
        try
        {
            File.WriteAllText(Path.Combine(folder, OwnerFileName), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        }
        catch (IOException) { }                 // only the message needs it
        catch (UnauthorizedAccessException) { }
        return new RunFolderLock(stream, path);
    }

    /// <summary>Releases the folder.</summary>
    public void Dispose()
    {
        if (_released) return;
        _released = true;
        try
        {
            File.Delete(Path.Combine(Path.GetDirectoryName(_path)!, OwnerFileName));
            File.Delete(_path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        _stream.Dispose();
    }
}

/// <summary>A run folder another process is training into.</summary>
public sealed class RunFolderInUseException(string message) : Exception(message);
