namespace Elbo.Server.Contracts;

/// <summary><c>POST /api/interpolate</c>: the path between two examples' codes (two examples in one of the forms of
/// <see cref="ExampleInput"/>), or between two latent points <see cref="Z"/>.</summary>
public sealed record InterpolateRequest : ExampleInput
{
    /// <summary>The two endpoints in latent space, instead of examples.</summary>
    public float[][]? Z { get; init; }

    /// <summary>Decoded points, endpoints included (default 10).</summary>
    public int? Steps { get; init; }

    /// <summary>Follow the great circle (spherical interpolation) instead of the line.</summary>
    public bool? Slerp { get; init; }

    /// <summary><c>png</c> (pictures, the default for them) or <c>values</c>.</summary>
    public string? Format { get; init; }
}
