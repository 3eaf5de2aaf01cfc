namespace Elbo.Plotting;

/// <summary>A picture (or other file) made in memory for a run folder, written only when asked: its file name, how
/// to write it to a path (atomically), and a line saying what it shows.</summary>
public sealed record RunOutput(string FileName, Action<string> Write, string Description);
