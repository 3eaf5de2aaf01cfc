namespace Elbo.Data;

/// <summary>A picture of an image folder that was left out: its path relative to the folder and why.</summary>
public sealed record SkippedImage(string RelativePath, string Reason);
