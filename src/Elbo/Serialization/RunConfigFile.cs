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
            config = JsonSerializer.Deserialize<RunConfig>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException(path, $"invalid run configuration: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
        if (config is null) throw new CheckpointFormatException(path, "invalid run configuration: the file holds null, not an object");
        return config with { Input = config.Input.WithLegacyKind() };
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
