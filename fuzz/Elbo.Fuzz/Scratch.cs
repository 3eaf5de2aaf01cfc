namespace Elbo.Fuzz;

/// <summary>
/// The folder a target writes its inputs to when the parser under test reads files (a table by its extension, a
/// checkpoint by its path): <c>$ELBO_FUZZ_SCRATCH</c> when set (scripts/fuzz.sh points it into the round's output
/// folder and removes it afterwards), else a new folder in the system's temporary folder. One process uses one file
/// name per extension, rewritten for every input.
/// </summary>
internal sealed class Scratch
{
    public Scratch()
    {
        string? root = Environment.GetEnvironmentVariable("ELBO_FUZZ_SCRATCH");
        Directory = root is { Length: > 0 }
            ? System.IO.Directory.CreateDirectory(Path.Combine(root, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName
            : System.IO.Directory.CreateTempSubdirectory("elbo-fuzz-").FullName;
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>A path in the folder.</summary>
    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Writes <paramref name="bytes"/> to the file <paramref name="name"/> in the folder and returns its path.</summary>
    public string Write(string name, byte[] bytes)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Removes the folder (for the commands that end by themselves; under afl-fuzz the process is killed).</summary>
    public void Delete()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
