namespace Elbo.Cli.Tests.Packaging;

/// <summary>The repository these tests were built from.</summary>
internal static class Repository
{
    /// <summary>Its root folder: the first folder above the test assembly holding Elbo.sln.</summary>
    public static string Root { get; } = Find();

    /// <summary>A path under the root, given by its parts.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Elbo.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Elbo.sln above {AppContext.BaseDirectory}");
    }
}
