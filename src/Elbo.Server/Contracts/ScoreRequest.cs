namespace Elbo.Server.Contracts;

/// <summary><c>POST /api/score</c>: the examples to score by the model's evidence.</summary>
public sealed record ScoreRequest : ExampleInput
{
    /// <summary>Importance samples per example (default 100; at most the server's <c>maxK</c>, and examples × k at
    /// most its <c>maxImportanceSamples</c>).</summary>
    public int? K { get; init; }

    /// <summary>The random seed of the samples (default 1).</summary>
    public ulong? Seed { get; init; }
}
