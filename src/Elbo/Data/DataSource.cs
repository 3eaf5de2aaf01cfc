using System.Net.Http;

namespace Elbo.Data;

/// <summary>
/// Turns the value of <c>--data</c> into a loaded train/test split: <c>fashion-mnist</c> (Debian's
/// <c>dataset-fashion-mnist</c> package), <c>mnist</c> (a cache folder, downloaded when files are missing),
/// <c>ring</c> (2-D toy points generated in memory, see <see cref="RingData"/>), or the path of a folder: one holding the
/// four IDX files, or else one of pictures (<see cref="ImageFolder"/>), told apart by what the folder holds.
/// </summary>
public static class DataSource
{
    /// <summary>The <c>--data</c> value for Fashion-MNIST.</summary>
    public const string FashionMnist = "fashion-mnist";

    /// <summary>The <c>--data</c> value for MNIST.</summary>
    public const string Mnist = "mnist";

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the files.</summary>
    public const string DebianFashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Environment variable that replaces <see cref="DebianFashionMnistDirectory"/> (used by tests).</summary>
    public const string FashionMnistDirectoryVariable = "ELBO_FASHION_MNIST_DIR";

    /// <summary>The message when Fashion-MNIST is not installed.</summary>
    public const string FashionMnistMissingMessage =
        "Fashion-MNIST is not installed: run `apt-get install dataset-fashion-mnist` (or pass --data PATH to a folder of IDX files)";

    /// <summary>The Fashion-MNIST folder: <c>$ELBO_FASHION_MNIST_DIR</c> when set, else the Debian package's.</summary>
    public static string FashionMnistDirectory()
    {
        string? overridden = Environment.GetEnvironmentVariable(FashionMnistDirectoryVariable);
        return string.IsNullOrEmpty(overridden) ? DebianFashionMnistDirectory : overridden;
    }

    /// <summary>The default MNIST cache folder: <c>$XDG_CACHE_HOME/elbo/mnist</c>, else <c>~/.cache/elbo/mnist</c>.</summary>
    public static string DefaultMnistCacheDirectory() => MnistCacheDirectory(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The MNIST cache folder for the given <c>XDG_CACHE_HOME</c> and home folder (a relative or empty
    /// <c>XDG_CACHE_HOME</c> is ignored, as the XDG spec says).</summary>
    internal static string MnistCacheDirectory(string? xdgCacheHome, string? home)
    {
        if (!string.IsNullOrEmpty(xdgCacheHome) && Path.IsPathRooted(xdgCacheHome)) return Path.Combine(xdgCacheHome, "elbo", "mnist");
        if (string.IsNullOrEmpty(home)) home = Path.GetTempPath();
        return Path.Combine(home, ".cache", "elbo", "mnist");
    }

    /// <summary>The form of <paramref name="data"/> stored in a run's config.json: a dataset name as it is, a folder
    /// as its absolute path (so later commands find the data from any working folder).</summary>
    public static string Canonical(string data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (string.Equals(data, FashionMnist, StringComparison.OrdinalIgnoreCase)) return FashionMnist;
        if (string.Equals(data, Mnist, StringComparison.OrdinalIgnoreCase)) return Mnist;
        if (string.Equals(data, RingData.Name, StringComparison.OrdinalIgnoreCase)) return RingData.Name;
        return string.IsNullOrWhiteSpace(data) ? data : Path.GetFullPath(data);
    }

    /// <summary>Loads the dataset named by <paramref name="data"/>.</summary>
    /// <param name="data"><c>fashion-mnist</c>, <c>mnist</c>, <c>ring</c>, or a folder path.</param>
    /// <param name="cacheDir">The MNIST cache folder (default <see cref="DefaultMnistCacheDirectory"/>).</param>
    /// <param name="http">The client for MNIST downloads (default: a new one, disposed afterwards).</param>
    /// <param name="log">Receives progress lines (downloads), or null.</param>
    /// <param name="mirrors">Where MNIST is downloaded from (default <see cref="MnistMirrors.Canonical"/>).</param>
    /// <param name="options">Settings beyond the name (an image folder's preprocessing, the test share, a limit);
    /// null: none given. A setting given for data it does not apply to throws a <see cref="SettingException"/>.</param>
    /// <exception cref="DataNotFoundException">The data is not there and cannot be fetched.</exception>
    /// <exception cref="DataFormatException">A file is invalid or the files disagree.</exception>
    public static DatasetSplits Resolve(string data, string? cacheDir = null, HttpClient? http = null, TextWriter? log = null,
        MnistMirrors? mirrors = null, DataOptions? options = null)
    {
        options ??= new DataOptions();
        bool table = IsTable(data);
        if (!table && options.Table is { } t)
        {
            string? given = t.Categorical.Count > 0 ? "categorical" : t.Numeric.Count > 0 ? "numeric" : t.Drop.Count > 0 ? "drop"
                : t.Label is not null ? "label" : t.Coerce ? "coerce" : t.Test is not null ? "test" : null;
            if (given is not null) throw new SettingException(given, $"applies to table files (.csv, .tsv, .parquet) only, not to {data}");
        }
        var splits = table ? ResolveTable(data, options, log) : ResolveSource(data, cacheDir, http, log, mirrors, options);
        if (!splits.IsImageFolder) RefuseImageFolderSettings(options, splits.Name, table);
        return splits;
    }

    /// <summary>Whether <paramref name="data"/> names a table file (by its extension: .csv, .tsv, .parquet).</summary>
    public static bool IsTable(string data) => !string.IsNullOrWhiteSpace(data) && Tables.TableReader.IsTableFile(data);

    // A table file: its schema inferred from the training rows, or the run's own when given.
    private static DatasetSplits ResolveTable(string data, DataOptions options, TextWriter? log)
    {
        string path = Path.GetFullPath(data);
        var tableOptions = options.TableOptions();
        var splits = options.TableSchema is { } schema
            ? Tables.TableDataSource.Load(path, schema, tableOptions)
            : Tables.TableDataSource.Load(path, tableOptions);
        log?.WriteLine($"data: {path} is a table: {splits.Train.Count:N0} train and {splits.Test.Count:N0} test rows" +
            (tableOptions.Test is null ? $" (a seeded {tableOptions.TestFraction:0.##} held out)" : $" (test rows from {tableOptions.Test})"));
        if (options.TableSchema is null && log is not null)
            foreach (string line in splits.TableSchema!.Summary()) log.WriteLine($"  {line}");
        return splits;
    }

    // Image-folder settings given for other data would silently do nothing: refuse them, naming the first (a test
    // fraction applies to tables too).
    private static void RefuseImageFolderSettings(DataOptions options, string name, bool table)
    {
        string? setting = options.Images.ImageSize is not null ? "imageSize" : options.Images.Crop is not null ? "crop"
            : options.Images.Color is not null ? "color" : options.Images.Background is not null ? "background"
            : options.TestFraction is not null && !table ? "testFraction" : options.Limit is not null ? "limit" : null;
        if (setting is not null) throw new SettingException(setting, $"applies to image folders{(setting == "testFraction" ? " and tables" : "")} only, not to {name}");
    }

    /// <summary>The shape a folder of pictures will have, known from <paramref name="options"/> before any picture is
    /// decoded (so that settings a model cannot take fail before a long first decode); null for other data.</summary>
    public static DataShape? ImageFolderShape(string data, DataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (string.IsNullOrWhiteSpace(data) || string.Equals(data, FashionMnist, StringComparison.OrdinalIgnoreCase)
            || string.Equals(data, Mnist, StringComparison.OrdinalIgnoreCase) || string.Equals(data, RingData.Name, StringComparison.OrdinalIgnoreCase))
            return null;
        string folder = Path.GetFullPath(data);
        if (!Directory.Exists(folder) || !IsImageFolder(folder)) return null;
        return (options ?? new DataOptions()).Images.Resolve().Shape();
    }

    // A folder without any of the IDX files is read as a folder of pictures.
    private static bool IsImageFolder(string folder) => IdxFolder.Missing(folder).Count == IdxFolder.FileNames.Count;

    private static DatasetSplits ResolveSource(string data, string? cacheDir, HttpClient? http, TextWriter? log, MnistMirrors? mirrors,
        DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (string.IsNullOrWhiteSpace(data))
            throw new DataNotFoundException("--data is empty: give mnist, fashion-mnist, ring, or a folder of IDX files");
        if (string.Equals(data, FashionMnist, StringComparison.OrdinalIgnoreCase)) return ResolveFashionMnist();
        if (string.Equals(data, Mnist, StringComparison.OrdinalIgnoreCase))
            return ResolveMnist(cacheDir ?? DefaultMnistCacheDirectory(), http, log, mirrors ?? MnistMirrors.Canonical);
        if (string.Equals(data, RingData.Name, StringComparison.OrdinalIgnoreCase)) return RingData.Splits();
        string folder = Path.GetFullPath(data);
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        if (string.IsNullOrEmpty(name)) name = folder;
        // An IDX file present makes it an IDX folder (and a missing one an error naming it); else a folder of pictures.
        if (Directory.Exists(folder) && IsImageFolder(folder))
            return ImageFolder.Load(name, folder, options, cacheDir, log);
        var idx = IdxFolder.Load(name, folder);
        log?.WriteLine($"data: {folder} is an IDX folder: {idx.Train.Count:N0} train and {idx.Test.Count:N0} test examples of {idx.Shape}");
        return idx;
    }

    private static DatasetSplits ResolveFashionMnist()
    {
        string dir = FashionMnistDirectory();
        if (!Directory.Exists(dir)) throw new DataNotFoundException(FashionMnistMissingMessage);
        var missing = IdxFolder.Missing(dir);
        if (missing.Count > 0)
            throw new DataNotFoundException($"{FashionMnistMissingMessage}; {dir} lacks {string.Join(", ", missing)}");
        return IdxFolder.Load(FashionMnist, dir);
    }

    private static DatasetSplits ResolveMnist(string cacheDir, HttpClient? http, TextWriter? log, MnistMirrors mirrors)
    {
        if (IdxFolder.Missing(cacheDir).Count > 0)
        {
            if (http is not null) MnistDownloader.EnsureFiles(cacheDir, mirrors, http, log);
            else
            {
                using var own = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
                MnistDownloader.EnsureFiles(cacheDir, mirrors, own, log);
            }
        }
        return IdxFolder.Load(Mnist, cacheDir);
    }
}
