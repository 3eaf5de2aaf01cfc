namespace Elbo.Data;

/// <summary>Which split a picture belongs to: the folder's own <c>train/</c> or <c>test/</c>, or none (a seeded
/// share is held out).</summary>
public enum ImageSplit
{
    /// <summary>The folder has no split of its own.</summary>
    None,
    /// <summary>Under <c>train/</c>.</summary>
    Train,
    /// <summary>Under <c>test/</c>.</summary>
    Test,
}

/// <summary>One picture file of an image folder: its path relative to the folder (with '/'), size and modification
/// time (what the cache key is made of), class (-1 without class folders) and split.</summary>
public sealed record ImageEntry(string RelativePath, long Size, long ModifiedTicks, int Class, ImageSplit Split);

/// <summary>
/// What an image folder holds, laid out as torchvision's <c>ImageFolder</c> reads it: a folder whose subfolders hold
/// pictures has one class per subfolder (sorted by name, label = index; pictures in deeper folders belong to the
/// class folder above them; loose pictures beside the class folders are ignored, as torchvision ignores them), a
/// folder without such subfolders is one unlabelled set. <c>train/</c> and <c>test/</c> subfolders, each laid out so,
/// give the split. Directory symlinks are followed; a symlink back into a folder already read (a loop) is skipped and
/// noted. Files are listed in ordinal order of their relative paths, so a listing is the same on every machine.
/// </summary>
public sealed class ImageFolderLayout
{
    /// <summary>The name of the training subfolder.</summary>
    public const string TrainFolder = "train";

    /// <summary>The name of the test subfolder.</summary>
    public const string TestFolder = "test";

    private ImageFolderLayout(string root, IReadOnlyList<string> classes, IReadOnlyList<ImageEntry> files, bool ownSplit, IReadOnlyList<string> notes)
    {
        Root = root;
        ClassNames = classes;
        Files = files;
        HasOwnSplit = ownSplit;
        Notes = notes;
    }

    /// <summary>The folder's full path.</summary>
    public string Root { get; }

    /// <summary>The class names by label (empty when the folder has no class folders).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Whether the pictures have labels (the folder has class folders).</summary>
    public bool HasLabels => ClassNames.Count > 0;

    /// <summary>Every picture file, in ordinal order of <see cref="ImageEntry.RelativePath"/>.</summary>
    public IReadOnlyList<ImageEntry> Files { get; }

    /// <summary>Whether the folder has its own <c>train/</c> and <c>test/</c> subfolders.</summary>
    public bool HasOwnSplit { get; }

    /// <summary>Lines about what was left out (loose pictures beside class folders, symlink loops).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Lists the pictures of <paramref name="folder"/>.</summary>
    /// <exception cref="DataNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DataFormatException">A folder cannot be listed, or <c>train/</c> has class folders and
    /// <c>test/</c> has none (or the other way round).</exception>
    public static ImageFolderLayout Scan(string folder)
    {
        string root = Path.GetFullPath(folder);
        if (!Directory.Exists(root)) throw new DataNotFoundException($"data folder {root} does not exist");
        var notes = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        string train = Path.Combine(root, TrainFolder), test = Path.Combine(root, TestFolder);
        bool ownSplit = Directory.Exists(train) && Directory.Exists(test);
        var parts = ownSplit
            ? new[] { (Dir: train, Split: ImageSplit.Train), (Dir: test, Split: ImageSplit.Test) }
            : new[] { (Dir: root, Split: ImageSplit.None) };
        var scanned = new List<(ImageSplit Split, List<string> Loose, SortedDictionary<string, List<string>> Classes)>();
        foreach (var (dir, split) in parts)
        {
            MarkVisited(dir, visited);
            var loose = new List<string>();
            var classes = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var item in List(dir))
            {
                if (item is DirectoryInfo sub)
                {
                    var files = new List<string>();
                    Walk(sub, visited, files, notes, root);
                    if (files.Count > 0) classes[sub.Name] = files;
                }
                else if (ImageDecoder.IsPicture(item.Name)) loose.Add(item.FullName);
            }
            scanned.Add((split, loose, classes));
        }
        bool labelled = scanned.Any(s => s.Classes.Count > 0);
        if (ownSplit && labelled && scanned.Any(s => s.Classes.Count == 0 && s.Loose.Count > 0))
        {
            var (with, without) = scanned[0].Classes.Count > 0 ? (TrainFolder, TestFolder) : (TestFolder, TrainFolder);
            throw new DataFormatException(root, $"{with}/ has class folders but {without}/ holds loose pictures: lay both out the same way");
        }
        var classNames = scanned.SelectMany(s => s.Classes.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var entries = new List<ImageEntry>();
        foreach (var (split, loose, classes) in scanned)
        {
            if (labelled)
            {
                if (loose.Count > 0)
                    notes.Add($"ignored {loose.Count:N0} picture(s) directly in {Relative(root, Path.GetDirectoryName(loose[0])!)}/: they are in no class folder");
                foreach (var (name, files) in classes)
                {
                    int label = classNames.BinarySearch(name, StringComparer.Ordinal);
                    entries.AddRange(files.Select(f => Entry(root, f, label, split)));
                }
            }
            else entries.AddRange(loose.Select(f => Entry(root, f, -1, split)));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return new ImageFolderLayout(root, labelled ? classNames : [], entries, ownSplit, notes);
    }

    // Every picture under dir, following directory symlinks but not into a folder already read.
    private static void Walk(DirectoryInfo dir, HashSet<string> visited, List<string> files, List<string> notes, string root)
    {
        string? real = RealPath(dir);
        if (real is null)
        {
            notes.Add($"skipped {Relative(root, dir.FullName)}/: a symlink that does not resolve (a loop or a missing target)");
            return;
        }
        if (!visited.Add(real))
        {
            notes.Add($"skipped {Relative(root, dir.FullName)}/: it leads back to a folder already read (a symlink loop or a second link to it)");
            return;
        }
        foreach (var item in List(dir.FullName))
        {
            if (item is DirectoryInfo sub) Walk(sub, visited, files, notes, root);
            else if (ImageDecoder.IsPicture(item.Name)) files.Add(item.FullName);
        }
    }

    private static void MarkVisited(string dir, HashSet<string> visited)
    {
        if (RealPath(new DirectoryInfo(dir)) is { } real) visited.Add(real);
    }

    private static string? RealPath(DirectoryInfo dir)
    {
        try
        {
            if (dir.LinkTarget is null) return Path.TrimEndingDirectorySeparator(dir.FullName);
            var target = dir.ResolveLinkTarget(returnFinalTarget: true);
            return target is { Exists: true } ? Path.TrimEndingDirectorySeparator(RealPath(new DirectoryInfo(target.FullName)) ?? target.FullName) : null;
        }
        catch (IOException)
        {
            return null;            // ELOOP: a link that resolves to itself
        }
    }

    private static List<FileSystemInfo> List(string dir)
    {
        try
        {
            return new DirectoryInfo(dir).EnumerateFileSystemInfos()
                .Select(i => i is FileInfo f && IsLinkToDirectory(f) ? new DirectoryInfo(f.FullName) : i)
                .OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataFormatException(dir, "cannot be listed (permission denied)", e);
        }
        catch (IOException e)
        {
            throw new DataFormatException(dir, $"cannot be listed ({e.Message.Split('\n')[0].TrimEnd()})", e);
        }
    }

    private static bool IsLinkToDirectory(FileInfo f) => f.LinkTarget is not null && Directory.Exists(f.FullName);

    private static ImageEntry Entry(string root, string path, int label, ImageSplit split)
    {
        long size = -1, ticks = 0;
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target) info = target;
            if (info.Exists)
            {
                size = info.Length;
                ticks = info.LastWriteTimeUtc.Ticks;
            }
        }
        catch (IOException) { }             // a dangling or looping link: decoding will say so
        catch (UnauthorizedAccessException) { }
        return new ImageEntry(Relative(root, path), size, ticks, label, split);
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
