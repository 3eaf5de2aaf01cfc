namespace Elbo.Plotting;

/// <summary>One line of a legend: a marker in <paramref name="Color"/> and its label. <paramref name="Line"/> draws
/// a short line through the marker (for a line series), <paramref name="Dashed"/> dashes it.</summary>
public sealed record LegendEntry(string Label, string Color, bool Line = false, bool Dashed = false);
