using System.Text.Json;
using System.Text.Json.Serialization;

namespace Elbo.Serialization;

/// <summary>Reads and writes <see cref="RunConfig"/> as indented JSON with camelCase names (<c>batchSize</c>,
/// <c>freeBits</c>, …); unknown names are ignored and missing ones keep their defaults.</summary>
public static class RunConfigFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // a table schema's statistics may be NaN (a column without observed values), as TableSchemaFile writes them
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // null where the record has no null (a "model" or "hidden" of null) is a JSON error naming the field, not a
        // NullReferenceException later (afl-fuzz found both)
        RespectNullableAnnotations = true,
        // and a positional record's field left out (a gemm without its backend) is too: it was a null that the next
        // write refused (afl-fuzz found it)
        RespectRequiredConstructorParameters = true,
        Converters =
        {
            new SpecNameConverter<Models.ModelSpec>(Models.ModelRegistry.Specs),
            new SpecNameConverter<Likelihoods.LikelihoodSpec>(Likelihoods.LikelihoodRegistry.Specs),
            new SpecNameConverter<Objectives.ObjectiveSpec>(Objectives.ObjectiveRegistry.Specs),
        },
    };

    /// <summary>The JSON text of <paramref name="config"/>.</summary>
    public static string ToJson(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return JsonSerializer.Serialize(config, Options);
    }

    /// <summary>Parses <paramref name="json"/>; a problem throws <see cref="CheckpointFormatException"/> naming
    /// <paramref name="path"/> (used only for the message).</summary>
    public static RunConfig FromJson(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        RunConfig? config;
        try
        {
            // a string the serializer cannot decode (a lone surrogate escape) would be an InvalidOperationException
            if (JsonStrings.FirstUndecodable(System.Text.Encoding.UTF8.GetBytes(json)) is long bad)
                throw new CheckpointFormatException(path, $"invalid run configuration: a string that is not valid Unicode at byte {bad}");
            using (var document = JsonDocument.Parse(json))
                if (NullInList(document.RootElement, "$") is { } at)
                    throw new CheckpointFormatException(path, $"invalid run configuration: {at} is null, and no list in a configuration holds null");
            config = JsonSerializer.Deserialize<RunConfig>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException(path, $"invalid run configuration: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
        if (config is null) throw new CheckpointFormatException(path, "invalid run configuration: the file holds null, not an object");
        return config with { Input = config.Input.WithLegacyKind() };
    }

    /// <summary>The JSON path of the first null inside an array, or null when there is none. The serializer checks null
    /// against a property's annotation (RespectNullableAnnotations) but not against a list's elements, and a null
    /// table column or class name was a NullReferenceException later (afl-fuzz and the config target's replay found
    /// them); every list of the configuration holds values, so a null in one is refused here.</summary>
    private static string? NullInList(JsonElement element, string at)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    if (NullInList(property.Value, $"{at}.{property.Name}") is { } found) return found;
                return null;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    string itemAt = $"{at}[{i++}]";
                    if (item.ValueKind == JsonValueKind.Null) return itemAt;
                    if (NullInList(item, itemAt) is { } found) return found;
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>Writes <paramref name="config"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, RunConfig config) => AtomicFile.WriteAllText(path, ToJson(config) + "\n");

    /// <summary>Reads the configuration at <paramref name="path"/>; a malformed file throws
    /// <see cref="CheckpointFormatException"/>, a missing one <see cref="FileNotFoundException"/>.</summary>
    public static RunConfig Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FromJson(File.ReadAllText(path), path);
    }
}
