using System.Net;
using System.Text;
using System.Text.Json;
using Elbo.Data;
using Elbo.Imaging;

namespace Elbo.Server.Tests;

/// <summary>A response of the API: its status and its body parsed as JSON.</summary>
public sealed record ApiResponse(HttpStatusCode Status, JsonElement Body, string Text)
{
    /// <summary>The body, after checking the status is 200.</summary>
    public JsonElement Ok()
    {
        Assert.True(Status == HttpStatusCode.OK, $"{(int)Status}: {Text}");
        return Body;
    }

    /// <summary>Checks an error response: the status, a one-line message, and the field it names.</summary>
    public string Error(HttpStatusCode status, string? field)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Text}");
        Assert.Equal(JsonValueKind.Object, Body.ValueKind);
        Assert.Equal(["error", .. field is null ? Array.Empty<string>() : ["field"]], Body.EnumerateObject().Select(p => p.Name));
        string message = Body.GetProperty("error").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain("   at ", message);        // no stack trace
        if (field is not null) Assert.Equal(field, Body.GetProperty("field").GetString());
        return message;
    }
}

/// <summary>JSON requests to a served run.</summary>
public sealed class ApiClient(HttpClient client)
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public Task<ApiResponse> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>POSTs <paramref name="body"/> serialized as camelCase JSON.</summary>
    public Task<ApiResponse> PostAsync(string path, object body) => PostRawAsync(path, JsonSerializer.Serialize(body, Json));

    /// <summary>POSTs <paramref name="text"/> as it is.</summary>
    public Task<ApiResponse> PostRawAsync(string path, string text, string contentType = "application/json") =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(text, Encoding.UTF8, contentType) });

    public async Task<ApiResponse> SendAsync(HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        JsonElement body = default;
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            using var document = JsonDocument.Parse(text);
            body = document.RootElement.Clone();
        }
        return new ApiResponse(response.StatusCode, body, text);
    }
}

/// <summary>Arrays and pictures of the API's JSON, for comparing with the library.</summary>
public static class Values
{
    public static float[][] Floats(JsonElement arrays) =>
        arrays.EnumerateArray().Select(a => a.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static float[] Row(float[,] matrix, int i) => Enumerable.Range(0, matrix.GetLength(1)).Select(j => matrix[i, j]).ToArray();

    public static float[][] Rows(float[,] matrix) => Enumerable.Range(0, matrix.GetLength(0)).Select(i => Row(matrix, i)).ToArray();

    public static float[,] Matrix(float[][] rows)
    {
        var m = new float[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows[i].Length; j++) m[i, j] = rows[i][j];
        return m;
    }

    /// <summary>Asserts two arrays of arrays agree within <paramref name="tolerance"/> (absolute, and relative for
    /// large values).</summary>
    public static void Close(float[][] expected, float[][] actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Close(expected[i], actual[i], tolerance, $"row {i}");
    }

    public static void Close(IReadOnlyList<float> expected, IReadOnlyList<float> actual, double tolerance = 1e-5, string what = "")
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int j = 0; j < expected.Count; j++)
            Assert.True(Math.Abs(expected[j] - actual[j]) <= tolerance * Math.Max(1, Math.Abs(expected[j])),
                $"{what}[{j}]: expected {expected[j]}, got {actual[j]}");
    }

    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance = 1e-9)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int j = 0; j < expected.Count; j++)
            Assert.True(Math.Abs(expected[j] - actual[j]) <= tolerance * Math.Max(1, Math.Abs(expected[j])),
                $"[{j}]: expected {expected[j]}, got {actual[j]}");
    }

    /// <summary>The pixels of a base64 PNG as the model's planar bytes (C × H × W), decoded by StbImageSharp.</summary>
    public static byte[] PngPixels(string base64, DataShape shape)
    {
        var (rgba, width, height) = ImageDecoder.DecodeRgba(Convert.FromBase64String(base64));
        Assert.Equal((shape.Width, shape.Height), (width, height));
        int plane = width * height;
        var pixels = new byte[shape.Channels * plane];
        for (int c = 0; c < shape.Channels; c++)
            for (int p = 0; p < plane; p++) pixels[c * plane + p] = rgba[4 * p + c];
        return pixels;
    }

    /// <summary>The bytes a picture of <paramref name="values"/> (planar, in [0, 1]) has: <see cref="ImageGrid.ToByte"/>
    /// of each value.</summary>
    public static byte[] Bytes(IReadOnlyList<float> values) => values.Select(ImageGrid.ToByte).ToArray();

    /// <summary>A grey or RGB example (planar values in [0, 1]) as a base64 PNG.</summary>
    public static string Png(IReadOnlyList<float> values, DataShape shape)
    {
        int plane = shape.Width * shape.Height;
        var interleaved = new byte[values.Count];
        for (int c = 0; c < shape.Channels; c++)
            for (int p = 0; p < plane; p++) interleaved[p * shape.Channels + c] = ImageGrid.ToByte(values[c * plane + p]);
        return Convert.ToBase64String(PngWriter.Encode(interleaved, shape.Width, shape.Height, shape.Channels == 1 ? PngColor.Grey : PngColor.Rgb));
    }
}
