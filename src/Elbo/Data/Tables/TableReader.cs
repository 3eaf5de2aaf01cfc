namespace Elbo.Data.Tables;

/// <summary>Reads a table file by its extension: <c>.csv</c> (comma), <c>.tsv</c> (tab) or <c>.parquet</c>.</summary>
public static class TableReader
{
    /// <summary>The extensions this reader knows, with their dot.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".csv", ".tsv", ".parquet"];

    /// <summary>Whether <paramref name="path"/> names a table file (by its extension, whatever its case).</summary>
    public static bool IsTableFile(string path) =>
        Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>Reads the table at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">An unknown extension, or the file's content is not a usable table (see
    /// <see cref="CsvTableReader"/> and <see cref="ParquetTableReader"/>).</exception>
    /// <exception cref="DataNotFoundException">The file does not exist.</exception>
    public static Table Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => CsvTableReader.Read(path, ','),
            ".tsv" => CsvTableReader.Read(path, '\t'),
            ".parquet" => ParquetTableReader.Read(path),
            _ => throw new DataFormatException(path, "is not a table file: the name must end in .csv, .tsv or .parquet"),
        };
    }
}
