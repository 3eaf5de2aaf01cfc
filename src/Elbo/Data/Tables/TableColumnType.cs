using System.Text.Json.Serialization;

namespace Elbo.Data.Tables;

/// <summary>What the schema makes of a column: one of the three kinds a model sees, the label, or dropped.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TableColumnType>))]
public enum TableColumnType
{
    /// <summary>A number, standardized with the training split's mean and standard deviation: one encoded value
    /// (a Gaussian term in the likelihood).</summary>
    [JsonStringEnumMemberName("numeric")] Numeric,

    /// <summary>One of a fixed list of categories, one-hot: as many encoded values as categories (softmax
    /// cross-entropy).</summary>
    [JsonStringEnumMemberName("categorical")] Categorical,

    /// <summary>One of two values, encoded as one value 0 or 1 (a Bernoulli term).</summary>
    [JsonStringEnumMemberName("boolean")] Boolean,

    /// <summary>The label column: kept out of the model; its values are the examples' integer labels.</summary>
    [JsonStringEnumMemberName("label")] Label,

    /// <summary>Not used (id-like, constant, a date, too many categories, empty, or named in <c>drop</c>); the note
    /// says why.</summary>
    [JsonStringEnumMemberName("dropped")] Dropped,
}
