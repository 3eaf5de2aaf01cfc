using System.Text.Json.Serialization;

namespace Elbo.Data.Tables;

/// <summary>How a column of a <see cref="Table"/> stores its values — what the file said, before any schema decision.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TableValueType>))]
public enum TableValueType
{
    /// <summary>Numbers (double, NaN for missing); <see cref="TableColumn.IsInteger"/> says whether they were written as
    /// integers.</summary>
    [JsonStringEnumMemberName("number")] Number,

    /// <summary>Text, interned per column (<see cref="TableColumn.Codes"/> into <see cref="TableColumn.Levels"/>, -1 for
    /// missing); cells that also read as numbers keep their value in <see cref="TableColumn.Numbers"/>.</summary>
    [JsonStringEnumMemberName("text")] Text,

    /// <summary>Booleans stored as numbers 0 and 1 (NaN for missing): a Parquet boolean column.</summary>
    [JsonStringEnumMemberName("boolean")] Boolean,

    /// <summary>Dates or timestamps stored as days since 1970-01-01 (with a fraction for the time of day; NaN for
    /// missing): a Parquet date or timestamp column.</summary>
    [JsonStringEnumMemberName("date")] Date,
}
