using System.Text.Json;
using System.Text.Json.Serialization;

namespace Elbo.Serialization;

/// <summary>Writes a registry spec as its name and reads a name back through the registry (an unknown name is a
/// JSON error naming the valid choices).</summary>
internal sealed class SpecNameConverter<TSpec>(Registry<TSpec> registry) : JsonConverter<TSpec> where TSpec : class, ISpec
{
    public override TSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"{registry.Setting} must be a name ({string.Join(", ", registry.Names)})");
        string? name = reader.GetString();
        return registry.Find(name) ?? throw new JsonException($"{registry.Setting} '{name}' is unknown (this Elbo has {string.Join(", ", registry.Names)})");
    }

    public override void Write(Utf8JsonWriter writer, TSpec value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}
