using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Elbo.Server.Api;

/// <summary>
/// How request bodies are read and responses written. A request is one JSON object of camelCase fields, read
/// strictly: a field the request type does not have, a field given twice, a value of the wrong type, a number given
/// as a string, a comment or a trailing comma is a 400 naming the field (from the serializer's JSON path). Bodies larger than
/// <see cref="ServerLimits.MaxBodyBytes"/> are a 413 before they are parsed. Responses may carry the named literals
/// <c>"NaN"</c>, <c>"Infinity"</c> (a diverged model's outputs), which requests may not.
/// </summary>
internal static partial class StrictJson
{
    /// <summary>The reading options.</summary>
    public static JsonSerializerOptions Read { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        AllowDuplicateProperties = false,
        MaxDepth = 16,
    };

    /// <summary>The writing options.</summary>
    public static JsonSerializerOptions Write { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // JSON for an API client, never embedded in HTML: base64's '+' and '/' stay as they are rather than \u002B.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The body of <paramref name="request"/> as a <typeparamref name="T"/>.</summary>
    /// <exception cref="ApiException">413 for a body over the limit; 400 for anything else wrong with it.</exception>
    public static async Task<T> ReadAsync<T>(HttpRequest request, long maxBytes) where T : class
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw ApiException.Bad(null, $"send the request as JSON (Content-Type: application/json), not {request.ContentType ?? "without a content type"}");
        if (request.ContentLength > maxBytes)
            throw ApiException.TooLarge(null, $"the body of {request.ContentLength:N0} bytes is over the limit of {maxBytes:N0}");
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[1 << 16];
            int n;
            while ((n = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > maxBytes) throw ApiException.TooLarge(null, $"the body is over the limit of {maxBytes:N0} bytes");
                buffer.Write(chunk, 0, n);
            }
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw ApiException.TooLarge(null, $"the body is over the limit of {maxBytes:N0} bytes");
        }
        if (body.Length == 0) throw ApiException.Bad(null, "the body is empty: send a JSON object");
        // The serializer leaves the strings of JsonElement fields (labels, table rows) undecoded, and a byte that is not
        // UTF-8 or a lone surrogate escape in them was an InvalidOperationException (a 500) when a reader asked for the
        // text; afl-fuzz found both.
        if (Serialization.JsonStrings.FirstUndecodable(body) is long at)
            throw ApiException.Bad(null, $"the body holds a string that is not valid UTF-8 or Unicode (at byte {at}): send JSON text");
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, Read);
        }
        catch (JsonException e)
        {
            throw Explain(e);
        }
        return value ?? throw ApiException.Bad(null, "the body is null: send a JSON object");
    }

    /// <summary>The 400 for a serializer error: the field from its JSON path, and what was wrong in words.</summary>
    public static ApiException Explain(JsonException e)
    {
        string? field = FieldOf(e.Path);
        string message = e.Message;
        if (message.Contains("uplicate", StringComparison.Ordinal))
            return ApiException.Bad(field, $"{field ?? "the body"}: a field given twice ({message.Split(" Path:", 2)[0].TrimEnd('.', ' ')})");
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return ApiException.Bad(field, $"{field}: unknown field");
        var converted = ConvertedTo().Match(message);
        if (converted.Success)
            return ApiException.Bad(field, $"{field ?? "the body"}: expected {Expected(converted.Groups[1].Value)}");
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
            return ApiException.Bad(field, $"{field ?? "the body"}: nested too deeply");
        string reason = message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
        return ApiException.Bad(field, $"the body is not valid JSON here ({field ?? "at the top"}): {reason}");
    }

    // "$.z[3][1]" → "z[3][1]"; "$" → null.
    private static string? FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    // The .NET type a value could not become, in words.
    private static string Expected(string type)
    {
        const string nullable = "System.Nullable`1[";
        string t = (type.StartsWith(nullable, StringComparison.Ordinal) ? type[nullable.Length..^1] : type).Replace("System.", "", StringComparison.Ordinal);
        return t switch
        {
            "Single" or "Double" => "a number",
            "Int32" => "an integer",
            "UInt64" => "a whole number from 0 up",
            "Boolean" => "true or false",
            "String" => "a string",
            "Single[]" => "an array of numbers",
            "Single[][]" => "an array of arrays of numbers",
            "Int32[]" => "an array of integers",
            "String[]" => "an array of strings",
            _ when t.StartsWith("Collections.Generic.Dictionary", StringComparison.Ordinal) && t.EndsWith("[]", StringComparison.Ordinal) => "an array of objects",
            _ when t.StartsWith("Collections.Generic.Dictionary", StringComparison.Ordinal) => "an object",
            _ => "a value of another type",
        };
    }

    [GeneratedRegex(@"could not be converted to (\S+?)\. Path", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();
}
