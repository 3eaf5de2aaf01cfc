namespace Elbo.Server.Contracts;

/// <summary>The examples as the model read them, and their reconstructions, in the same order.</summary>
/// <param name="Inputs">The examples (a table's rows as given or as the file holds them).</param>
/// <param name="Reconstructions">Their reconstructions.</param>
public sealed record ReconstructResponse(Examples Inputs, Examples Reconstructions);
