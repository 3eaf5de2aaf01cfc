namespace Elbo.Data.Tables;

/// <summary>The cell texts that mean "no value" in a CSV or TSV file: empty (or blank), <c>NA</c>, <c>N/A</c>,
/// <c>NaN</c>, <c>null</c>, <c>None</c>, compared without case after trimming spaces. Parquet nulls are missing too.</summary>
public static class MissingValues
{
    /// <summary>The tokens (besides the empty cell), as documented.</summary>
    public static IReadOnlyList<string> Tokens { get; } = ["NA", "N/A", "NaN", "null", "None"];

    /// <summary>Whether <paramref name="cell"/> (already trimmed) stands for a missing value.</summary>
    public static bool IsMissing(ReadOnlySpan<char> cell)
    {
        if (cell.IsEmpty) return true;
        if (cell.Length > 4) return false;
        foreach (string token in Tokens)
            if (cell.Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
