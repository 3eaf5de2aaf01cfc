namespace Elbo.Plotting;

/// <summary>Colours for categories: Tableau 10 (Maureen Stone's palette, the default of Tableau and of
/// matplotlib's "tab10" family), ten hues that stay distinguishable on white and for most colour-vision deficiencies.</summary>
public static class Palette
{
    /// <summary>The ten colours, as #rrggbb, in the order categories get them.</summary>
    public static IReadOnlyList<string> Tableau10 { get; } =
    [
        "#4e79a7", // blue
        "#f28e2b", // orange
        "#e15759", // red
        "#76b7b2", // teal
        "#59a14f", // green
        "#edc948", // yellow
        "#b07aa1", // purple
        "#ff9da7", // pink
        "#9c755f", // brown
        "#bab0ac", // grey
    ];

    /// <summary>The colour of category <paramref name="index"/> (≥ 0); after ten the colours repeat.</summary>
    public static string Color(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Tableau10[index % Tableau10.Count];
    }

    /// <summary>The colour of points that belong to no category (unlabelled data).</summary>
    public const string Neutral = "#555555";
}
