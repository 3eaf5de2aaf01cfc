using System.Text.Json;

namespace Elbo.Server.Contracts;

/// <summary><c>POST /api/decode</c>: latent points to decode into the means of p(x|z).</summary>
public sealed record DecodeRequest
{
    /// <summary>The latent points, L values each.</summary>
    public float[][]? Z { get; init; }

    /// <summary>A conditional model's class per point (number or name).</summary>
    public JsonElement[]? Labels { get; init; }

    /// <summary><c>png</c> (pictures, the default for them) or <c>values</c>.</summary>
    public string? Format { get; init; }
}
