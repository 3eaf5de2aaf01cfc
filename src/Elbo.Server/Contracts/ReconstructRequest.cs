namespace Elbo.Server.Contracts;

/// <summary><c>POST /api/reconstruct</c>: the examples to reconstruct (the means of p(x|z) at the location of q).</summary>
public sealed record ReconstructRequest : ExampleInput
{
    /// <summary><c>png</c> (pictures, the default for them) or <c>values</c>.</summary>
    public string? Format { get; init; }
}
