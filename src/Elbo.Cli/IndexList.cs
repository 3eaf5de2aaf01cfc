using System.Globalization;

namespace Elbo.Cli;

/// <summary>Parses the comma-separated non-negative integers of options such as --from, --to and --dims.</summary>
internal static class IndexList
{
    /// <summary>"0,5" → [0, 5]; throws ArgumentException naming <paramref name="option"/>.</summary>
    public static int[] Parse(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out result[i]))
                throw new ArgumentException($"{option} takes non-negative integers separated by commas, got '{text}'");
        if (result.Length == 0) throw new ArgumentException($"{option} needs at least one index");
        return result;
    }
}
