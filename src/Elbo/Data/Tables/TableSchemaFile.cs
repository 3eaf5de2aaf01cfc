using System.Text.Json;
using System.Text.Json.Serialization;

namespace Elbo.Data.Tables;

/// <summary>Reads and writes a <see cref="TableSchema"/> as JSON with camelCase names, as <c>RunConfigFile</c> does
/// (a <see cref="TableSchema"/> can also be a property of a larger record serialized with those options).</summary>
public static class TableSchemaFile
{
    /// <summary>The serializer options: camelCase, indented, named floating-point literals allowed.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The JSON text of <paramref name="schema"/>.</summary>
    public static string ToJson(TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return JsonSerializer.Serialize(schema, Options);
    }

    /// <summary>Parses <paramref name="json"/>; a problem throws <see cref="DataFormatException"/> naming
    /// <paramref name="path"/> (used only for the message).</summary>
    public static TableSchema FromJson(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        TableSchema? schema;
        try
        {
            schema = JsonSerializer.Deserialize<TableSchema>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new DataFormatException(path, $"invalid table schema: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
        if (schema is null) throw new DataFormatException(path, "invalid table schema: the file holds null, not an object");
        foreach (var c in schema.Columns)
        {
            if (c.Type == TableColumnType.Categorical && c.Categories.Length == 0)
                throw new DataFormatException(path, $"invalid table schema: categorical column \"{c.Name}\" has no categories");
            if (c.Type == TableColumnType.Boolean && c.Categories.Length != 2)
                throw new DataFormatException(path, $"invalid table schema: boolean column \"{c.Name}\" needs its two spellings");
            if (c.Type == TableColumnType.Numeric && !(c.Std > 0))
                throw new DataFormatException(path, $"invalid table schema: numeric column \"{c.Name}\" has std {c.Std}");
        }
        return schema;
    }
}
