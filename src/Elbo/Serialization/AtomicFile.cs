namespace Elbo.Serialization;

/// <summary>Writes files atomically: the content goes to a temporary file in the same folder, which is flushed and
/// then renamed over the target, so a reader (or a crash) never sees a half-written file and a failed write leaves
/// the previous file intact. Inside an <see cref="AtomicGroup"/> (<see cref="Group"/>) the renames wait for the group's
/// commit, so a command that writes several files writes all of them or none.</summary>
public static class AtomicFile
{
    /// <summary>Starts a group on this thread (and the tasks it starts): the files written until
    /// <see cref="AtomicGroup.Commit"/> stay temporary and are renamed over their targets together; disposing the group
    /// without committing (a failure part-way) deletes them, leaving every target as it was.</summary>
    public static AtomicGroup Group() => new();

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/> atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            if (AtomicGroup.Current is { } group) group.Stage(temp, full);   // renamed when the group commits
            else File.Move(temp, full, overwrite: true);
        }
        catch (Exception e)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            // .NET names the hidden temporary file ("No space left on device : '/run/.x.png.123.….tmp'"): name the target
            if (e is IOException && !e.Message.StartsWith(full, StringComparison.Ordinal))
            {
                string reason = e.Message;
                int cut = reason.IndexOf(" : '", StringComparison.Ordinal);
                reason = cut > 0 ? reason[..cut] : reason.Replace(temp, full, StringComparison.Ordinal);
                throw new IOException($"{full}: cannot be written ({reason.Split('\n')[0].TrimEnd()})", e);
            }
            throw;
        }
    }

    /// <summary>Deletes the temporary files that writes in <paramref name="folder"/> left behind when their process died
    /// before the rename (killed, or the machine stopped): names of the form <c>.NAME.PID.GUID.tmp</c> whose process is
    /// no longer running. Files of running processes (a write in progress) are kept. Returns the names deleted.</summary>
    public static IReadOnlyList<string> RemoveStale(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var removed = new List<string>();
        if (!Directory.Exists(folder)) return removed;
        foreach (string file in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            string name = Path.GetFileName(file);
            var m = StaleName.Match(name);
            if (!m.Success || !int.TryParse(m.Groups[1].Value, out int pid) || IsRunning(pid)) continue;
            try
            {
                File.Delete(file);
                removed.Add(name);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    private static readonly System.Text.RegularExpressions.Regex StaleName = new(@"^\..+\.(\d+)\.[0-9a-f]{32}\.tmp$");

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;              // no such process
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));
}
