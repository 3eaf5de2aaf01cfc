using System.Text.Json;

namespace Elbo.Server.Contracts;

/// <summary><c>POST /api/sample</c>: draws from the model. Pictures are the means of p(x|z) at z ~ N(0, I); table
/// rows are drawn from p(x|z) (as <c>elbo sample --rows</c>).</summary>
public sealed record SampleRequest
{
    /// <summary>How many (default 16).</summary>
    public int? N { get; init; }

    /// <summary>The random seed (default 1): the same seed gives the same samples.</summary>
    public ulong? Seed { get; init; }

    /// <summary>A conditional model's class per sample (default: the classes in turn).</summary>
    public JsonElement[]? Labels { get; init; }

    /// <summary><c>png</c> (pictures, the default for them) or <c>values</c>.</summary>
    public string? Format { get; init; }
}
