namespace Elbo.Server.Contracts;

/// <summary>Examples the server sends back, in one form: <see cref="Images"/> (PNG files, base64) for pictures by
/// default, <see cref="Values"/> (flat, planar, as the model takes them) when asked with <c>"format": "values"</c>
/// or for data that are not pictures, <see cref="Rows"/> (objects from column name to value, in the file's units and
/// category names) for a table.</summary>
public sealed record Examples
{
    /// <summary>PNG files, base64.</summary>
    public string[]? Images { get; init; }

    /// <summary>Values, one array per example.</summary>
    public float[][]? Values { get; init; }

    /// <summary>Table rows.</summary>
    public IReadOnlyList<Dictionary<string, object?>>? Rows { get; init; }
}
