using System.Text.Json;

namespace Elbo.Server.Contracts;

/// <summary>
/// Examples sent to the model, in exactly one of four forms: <see cref="Images"/> (PNG files, base64), <see cref="Values"/>
/// (the model's input values, flat), <see cref="Rows"/> (table rows in the file's units) or <see cref="Test"/>
/// (indices into the served run's test split). A conditional model also needs <see cref="Labels"/>, unless the
/// examples bring their own (test examples, table rows with the label column).
/// </summary>
public record ExampleInput
{
    /// <summary>Pictures: PNG files of the model's width and height, base64 (a <c>data:image/png;base64,</c> prefix
    /// is allowed). Grey or colour, with or without alpha: converted to the model's channels as the run's pictures
    /// were (alpha over the run's background, grey as the BT.601 luma).</summary>
    public string[]? Images { get; init; }

    /// <summary>Examples as the model takes them: C·H·W values each, planar (C, H, W), pixels in [0, 1].</summary>
    public float[][]? Values { get; init; }

    /// <summary>Table rows: objects from column name to value (a number, a category as a string or number, true or
    /// false, or null for missing); a column left out is missing.</summary>
    public Dictionary<string, JsonElement>[]? Rows { get; init; }

    /// <summary>Indices into the served run's test split (0 … <c>testExamples</c> − 1, see <c>GET /api/model</c>).</summary>
    public int[]? Test { get; init; }

    /// <summary>A conditional model's class per example: a class number or a class name.</summary>
    public JsonElement[]? Labels { get; init; }
}
