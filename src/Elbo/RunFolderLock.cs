namespace Elbo;

/// <summary>
/// The exclusive claim of one process on a run folder while it writes into it (training, or a command that writes its
/// results there): a file <c>.elbo.lock</c> in the folder, opened without sharing (on Linux .NET takes an advisory
/// <c>flock</c> on it, which the kernel drops when the process ends, however it ends, so a lock left by a dead process
/// never blocks anyone), and beside it <c>.elbo.lock.owner</c> with the owner's process id and command for the message
/// another process gets (a file locked without sharing cannot be read by the others). Disposing releases it and deletes
/// both.
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

    /// <summary>Claims <paramref name="folder"/> for <paramref name="command"/> (the words another process's message
    /// names the owner by, e.g. "elbo train"), creating the folder if missing.</summary>
    /// <exception cref="RunFolderInUseException">Another process (or another claim in this one) holds it.</exception>
    /// <exception cref="IOException">The folder cannot be written.</exception>
    public static RunFolderLock Acquire(string folder, string command = "elbo train")
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(command);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException)
        {
            throw new IOException($"{folder}: cannot be written (permission denied)");
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new RunFolderInUseException($"{folder} is in use: {Owner(folder)} is writing into it; wait for it to finish");
        }
        try
        {
            File.WriteAllText(Path.Combine(folder, OwnerFileName),
                $"{Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)} {command}\n");
        }
        catch (IOException) { }                 // only the message needs it
        catch (UnauthorizedAccessException) { }
        return new RunFolderLock(stream, path);
    }

    /// <summary>"elbo train (pid 123)" from the owner file, or "another elbo process" when it cannot be read.</summary>
    private static string Owner(string folder)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(folder, OwnerFileName)).Trim();
            int space = text.IndexOf(' ');
            string pid = space < 0 ? text : text[..space];
            if (int.TryParse(pid, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                return space < 0 ? $"another elbo process (pid {pid})" : $"{text[(space + 1)..]} (pid {pid})";
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "another elbo process";
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
