using System.Text.Json;

namespace Elbo.Serialization;

/// <summary>
/// Finds a string in JSON text that cannot be decoded: bytes that are not UTF-8, or an escape that is not Unicode (a
/// lone surrogate such as <c>"\ud800"</c>). <see cref="JsonDocument"/> and the serializer's <see cref="JsonElement"/>
/// fields check a file's structure but decode a string only when it is read, and then throw
/// <see cref="InvalidOperationException"/> — which afl-fuzz found reaching users from the safetensors header, a run's
/// config.json and the server's request bodies. Readers of JSON from outside call this first and refuse the text with
/// their own typed error.
/// </summary>
public static class JsonStrings
{
    /// <summary>The byte offset of the first string or property name in <paramref name="utf8Json"/> that does not decode,
    /// or null when every one does. Text that is not JSON is left to the caller's parser: the scan stops at the first
    /// syntax error.</summary>
    public static long? FirstUndecodable(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 1024,
        });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return reader.TokenStartIndex;
                }
            }
        }
        catch (JsonException)
        {
            // not JSON: the caller's parser says where and why
        }
        return null;
    }
}
