using System.Text.Json;
using System.Text.Json.Serialization;
using Elbo.Serialization;

namespace Elbo.Evaluation.Quality;

/// <summary><c>quality.json</c>: a <see cref="QualityResult"/> as indented JSON with camelCase names and enum values
/// (<c>"kind": "numeric"</c>, <c>"correlationMethod": "pearson"</c>), undefined scores as null, written
/// atomically.</summary>
public static class QualityResultFile
{
    /// <summary>The file name inside a run folder.</summary>
    public const string FileName = "quality.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The JSON text of <paramref name="result"/>.</summary>
    public static string ToJson(QualityResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return JsonSerializer.Serialize(result, Options);
    }

    /// <summary>Parses <paramref name="json"/>; throws an <see cref="InvalidDataException"/> naming
    /// <paramref name="path"/> when it is not a quality result.</summary>
    public static QualityResult FromJson(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<QualityResult>(json, Options) ?? throw new InvalidDataException($"{path}: empty quality file");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a quality file ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    /// <summary>Writes <paramref name="result"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, QualityResult result) => AtomicFile.WriteAllText(path, ToJson(result) + "\n");

    /// <summary>Reads a quality.json (see <see cref="FromJson"/>).</summary>
    public static QualityResult Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FromJson(File.ReadAllText(path), path);
    }
}
