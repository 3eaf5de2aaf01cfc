using System.Text.Json.Serialization;

namespace Elbo.Data;

/// <summary>What kind of data a run holds, declared by the data source and written to config.json: pictures, plots and
/// the report ask it instead of guessing from the shape.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataKind>))]
public enum DataKind
{
    /// <summary>Not recorded: a config.json written before kinds were (<see cref="DataShape.WithLegacyKind"/> fills it in).</summary>
    [JsonStringEnumMemberName("unspecified")] Unspecified,

    /// <summary>Images of C (1 grey or 3 RGB) planes of H × W pixels in [0, 1].</summary>
    [JsonStringEnumMemberName("image")] Image,

    /// <summary>Rows of a table: 1 × 1 × the number of (encoded) columns.</summary>
    [JsonStringEnumMemberName("table")] Table,

    /// <summary>Points in the plane: 1 × 1 × 2 (the ring).</summary>
    [JsonStringEnumMemberName("points")] Points,
}
