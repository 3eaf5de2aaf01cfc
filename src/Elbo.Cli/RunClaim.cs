namespace Elbo.Cli;

/// <summary>
/// The run-folder lock (<see cref="RunFolderLock"/>) as the commands other than <c>train</c> take it: a command that
/// writes into a run folder (eval.json, the pictures, the report, an export, or an --out inside the folder) holds the
/// folder's lock from before it reads the checkpoint until it has written, so it never writes beside a training
/// process or another writer, and a `train --force` cannot clear the folder under it. Commands that only read the run
/// (an --out elsewhere, <c>serve</c>) take no lock and may run beside training: the checkpoint they read is replaced by
/// one rename, never torn.
/// </summary>
internal static class RunClaim
{
    /// <summary>Takes <paramref name="run"/>'s lock for <paramref name="command"/> when any of
    /// <paramref name="outputs"/> (files or folders the command writes) lies inside it; null when none does, or when the
    /// folder does not exist (loading the run then says so).</summary>
    /// <exception cref="RunFolderInUseException">Another process holds the folder.</exception>
    public static IDisposable? ForWriting(string run, string command, params string?[] outputs)
    {
        if (!Directory.Exists(run)) return null;
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(run)) + Path.DirectorySeparatorChar;
        foreach (string? output in outputs)
        {
            if (string.IsNullOrEmpty(output)) continue;
            string full = Path.GetFullPath(output);
            if ((full + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal))
                return RunFolderLock.Acquire(run, command);
        }
        return null;
    }
}
