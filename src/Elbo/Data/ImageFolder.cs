using System.Diagnostics;

namespace Elbo.Data;

/// <summary>
/// Loads a folder of pictures as a dataset: lists it (<see cref="ImageFolderLayout"/>: class folders give labels,
/// <c>train/</c> and <c>test/</c> the split), takes a seeded <see cref="DataOptions.Limit"/> of the pictures if asked,
/// reads their pixels from the <see cref="ImageCache"/> or else decodes them in parallel (<see cref="ImageDecoder"/>,
/// <see cref="ImagePreprocessing"/>) with progress lines and writes the cache, then splits them. Pictures that fail to
/// decode are skipped and listed (<see cref="DatasetSplits.Skipped"/>); only a folder where none decodes is an error.
/// Both splits share one <see cref="ImageBytes"/> of uint8 pixels: memory is C·S·S bytes per picture, never floats.
/// </summary>
public static class ImageFolder
{
    /// <summary>The share held out for testing when the folder has no <c>train/</c> and <c>test/</c>: 0.1.</summary>
    public const double DefaultTestFraction = 0.1;

    /// <summary>Loads <paramref name="folder"/> as <paramref name="options"/> say.</summary>
    /// <param name="name">The dataset's name for messages (the folder's name).</param>
    /// <param name="folder">The folder.</param>
    /// <param name="options">The preprocessing, split, limit, seed and threads.</param>
    /// <param name="cacheDir">The cache folder (default <see cref="ImageCache.DefaultDirectory"/>).</param>
    /// <param name="log">Receives what was found and progress lines, or null.</param>
    /// <exception cref="DataNotFoundException">The folder does not exist or holds no pictures.</exception>
    /// <exception cref="DataFormatException">No picture decodes, or too few for a split.</exception>
    /// <exception cref="SettingException">An option is out of range or does not apply to this folder.</exception>
    public static DatasetSplits Load(string name, string folder, DataOptions options, string? cacheDir = null, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var images = options.Images.Resolve();
        var layout = ImageFolderLayout.Scan(folder);
        string root = layout.Root;
        if (layout.Files.Count == 0)
            throw new DataNotFoundException(
                $"data folder {root} holds no pictures ({string.Join(", ", ImageDecoder.Extensions)}) and no IDX files");
        if (layout.HasOwnSplit && options.TestFraction is not null)
            throw new SettingException("testFraction", $"does not apply: {root} has its own {ImageFolderLayout.TrainFolder}/ and {ImageFolderLayout.TestFolder}/ folders");
        foreach (string note in layout.Notes) log?.WriteLine($"images: {note}");

        var entries = Select(layout, options.Limit, options.Seed);
        var shape = images.Shape();
        string key = ImageCache.Key(root, entries, images);
        string cachePath = ImageCache.PathOf(cacheDir ?? ImageCache.DefaultDirectory(), name, key);
        var clock = Stopwatch.StartNew();
        ImageBytes pixels;
        string?[] errors;
        if (ImageCache.TryRead(cachePath, key, entries.Count, shape.Features) is { } cached)
        {
            (pixels, errors) = cached;
            log?.WriteLine($"images: {entries.Count:N0} pictures read from the cache {cachePath} in {clock.Elapsed.TotalSeconds:F1} s");
        }
        else
        {
            (pixels, errors) = Decode(root, entries, images, options.Threads, log);
            int decoded = errors.Count(e => e is null);
            if (decoded > 0)
            {
                try
                {
                    ImageCache.Write(cachePath, key, pixels, errors);
                    log?.WriteLine($"images: cached in {cachePath}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    log?.WriteLine($"images: the cache {cachePath} could not be written ({e.Message.Split('\n')[0].TrimEnd()}); the next run decodes again");
                }
            }
        }

        var skipped = new List<SkippedImage>();
        for (int i = 0; i < entries.Count; i++)
            if (errors[i] is { } reason) skipped.Add(new SkippedImage(entries[i].RelativePath, reason));
        if (skipped.Count == entries.Count)
            throw new DataFormatException(root, $"none of its {entries.Count:N0} pictures could be decoded (first: {skipped[0].RelativePath}: {skipped[0].Reason})");

        var (train, test) = Split(root, entries, errors, layout.HasOwnSplit, options.TestFraction ?? DefaultTestFraction, options.Seed);
        int[]? Labels(int[] rows) => layout.HasLabels ? rows.Select(r => entries[r].Class).ToArray() : null;
        var splits = new DatasetSplits(name, root,
            Dataset.FromBytes($"{name}/train", pixels, train, Labels(train), shape),
            Dataset.FromBytes($"{name}/test", pixels, test, Labels(test), shape))
        {
            ClassNames = layout.HasLabels ? layout.ClassNames : null,
            Skipped = skipped,
            Preprocessing = images,
        };
        log?.WriteLine($"data: {root} is an image folder: {Describe(layout, entries.Count, train.Length, test.Length, options)}; {images}" +
            (skipped.Count > 0 ? $"; {skipped.Count:N0} skipped (could not be decoded)" : ""));
        return splits;
    }

    private static string Describe(ImageFolderLayout layout, int listed, int train, int test, DataOptions options)
    {
        string classes = layout.HasLabels
            ? $"{layout.ClassNames.Count} class folder{(layout.ClassNames.Count == 1 ? "" : "s")} ({Shorten(layout.ClassNames)})"
            : "no class folders (unlabelled)";
        string limit = options.Limit is { } n && n < layout.Files.Count ? $" (a seeded {listed:N0} of {layout.Files.Count:N0})" : "";
        string split = layout.HasOwnSplit
            ? $"its own {ImageFolderLayout.TrainFolder}/ and {ImageFolderLayout.TestFolder}/"
            : $"a seeded {options.TestFraction ?? DefaultTestFraction:0.###} held out";
        return $"{listed:N0} pictures{limit}, {classes}, {train:N0} train and {test:N0} test ({split})";
    }

    private static string Shorten(IReadOnlyList<string> names) =>
        names.Count <= 6 ? string.Join(", ", names) : string.Join(", ", names.Take(5)) + $", … {names[^1]}";

    // The pictures to decode: all, or a seeded choice of limit of them (split by split in proportion when the folder
    // has its own split, each split keeping at least one), in listing order.
    private static List<ImageEntry> Select(ImageFolderLayout layout, int? limit, ulong seed)
    {
        var files = layout.Files;
        if (limit is not { } n || n >= files.Count) return files.ToList();
        var g = new Generator(unchecked(seed * 0xD1B54A32D192ED03UL + 7));
        var chosen = new List<int>(n);
        var groups = Enumerable.Range(0, files.Count).GroupBy(i => files[i].Split).Select(x => x.ToArray()).ToList();
        int remaining = n;
        for (int k = 0; k < groups.Count; k++)
        {
            var group = groups[k];
            int take = k == groups.Count - 1 ? remaining
                : Math.Clamp((int)Math.Round((double)n * group.Length / files.Count), 1, Math.Min(group.Length, remaining - (groups.Count - 1 - k)));
            take = Math.Min(take, group.Length);
            g.Shuffle(group);
            chosen.AddRange(group.Take(take));
            remaining -= take;
        }
        chosen.Sort();
        return chosen.Select(i => files[i]).ToList();
    }

    // Decodes every entry in parallel into its slot; returns the pixels and each entry's error (null: decoded).
    private static (ImageBytes Pixels, string?[] Errors) Decode(string root, List<ImageEntry> entries, ImageFolderOptions images,
        int threads, TextWriter? log)
    {
        var shape = images.Shape();
        var pixels = new ImageBytes(entries.Count, shape.Features);
        var errors = new string?[entries.Count];
        int workers = threads > 0 ? threads : Environment.ProcessorCount;
        log?.WriteLine($"images: decoding {entries.Count:N0} pictures of {root} with {workers} thread{(workers == 1 ? "" : "s")} (once: the pixels are cached)");
        var clock = Stopwatch.StartNew();
        int done = 0, nextTenth = 1;
        long lastLine = 0;
        var gate = new object();
        Parallel.For(0, entries.Count, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
        {
            try
            {
                var (rgba, w, h) = ImageDecoder.DecodeRgba(Path.Combine(root, entries[i].RelativePath));
                ImagePreprocessing.Apply(rgba, w, h, images, pixels[i]);
            }
            catch (ImageDecodeException e)
            {
                errors[i] = e.Message;
            }
            int now = Interlocked.Increment(ref done);
            if (log is null) return;
            // A line at every tenth of the way, or every five seconds on a slow folder.
            long ms = clock.ElapsedMilliseconds;
            if (now * 10L < nextTenth * (long)entries.Count && ms - Volatile.Read(ref lastLine) < 5000) return;
            lock (gate)
            {
                if (now * 10L < nextTenth * (long)entries.Count && ms - lastLine < 5000) return;
                while (nextTenth <= 10 && now * 10L >= nextTenth * (long)entries.Count) nextTenth++;
                lastLine = ms;
                double rate = now / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                log.WriteLine($"images: {now:N0}/{entries.Count:N0} decoded ({100.0 * now / entries.Count:F0}%, {rate:N0}/s)");
            }
        });
        int failed = errors.Count(e => e is not null);
        log?.WriteLine($"images: {entries.Count - failed:N0} decoded in {clock.Elapsed.TotalSeconds:F1} s" + (failed > 0 ? $", {failed:N0} failed" : ""));
        return (pixels, errors);
    }

    // Rows of the train and test splits among the decoded entries: the folder's own, or a seeded share held out.
    private static (int[] Train, int[] Test) Split(string root, List<ImageEntry> entries, string?[] errors, bool ownSplit, double testFraction, ulong seed)
    {
        var ok = Enumerable.Range(0, entries.Count).Where(i => errors[i] is null).ToArray();
        if (ownSplit)
        {
            var train = ok.Where(i => entries[i].Split == ImageSplit.Train).ToArray();
            var test = ok.Where(i => entries[i].Split == ImageSplit.Test).ToArray();
            if (train.Length == 0 || test.Length == 0)
                throw new DataFormatException(root, $"no picture of {(train.Length == 0 ? ImageFolderLayout.TrainFolder : ImageFolderLayout.TestFolder)}/ could be decoded");
            return (train, test);
        }
        if (ok.Length < 2)
            throw new DataFormatException(root, "only one picture could be decoded: a train and a test split need at least two");
        int testCount = Math.Clamp((int)Math.Round(testFraction * ok.Length), 1, ok.Length - 1);
        var order = (int[])ok.Clone();
        new Generator(unchecked(seed * 0x9E3779B97F4A7C15UL + 11)).Shuffle(order);
        var testRows = order[..testCount];
        var trainRows = order[testCount..];
        Array.Sort(testRows);
        Array.Sort(trainRows);
        return (trainRows, testRows);
    }
}
