using System.Net;
using System.Security.Cryptography;
using System.Text;
using Elbo.Tests.Data;
using static Elbo.Server.Tests.Values;

namespace Elbo.Server.Tests;

/// <summary>Requests the server refuses: each answered 400 or 413 with JSON {error, field} naming the field at fault
/// (a JSON path), never a stack trace; the server serves on afterwards and writes nothing to the run folder.</summary>
[Collection(ServedRunsCollection.Name)]
public sealed class BadInputTests(ServedRuns runs)
{
    private const HttpStatusCode Bad = HttpStatusCode.BadRequest;
    private const HttpStatusCode TooLarge = HttpStatusCode.RequestEntityTooLarge;

    private static readonly string Zero4 = "[0,0,0,0]";

    // A Fashion-MNIST test picture as a base64 PNG.
    private string Picture(int index) => Png(Row(runs.Fashion.Examples(index), 0), runs.Fashion.Test.Shape);

    /// <summary>(route, raw JSON body, status, field) of the Fashion-MNIST server (latent 4, 28×28, at most 64
    /// examples, k ≤ 500, 8,192 importance samples, 32 steps, 1 MiB bodies).</summary>
    private IEnumerable<(string Route, string Body, HttpStatusCode Status, string? Field)> FashionCases()
    {
        // wrong shapes
        yield return ("/api/decode", $"{{\"z\":[{Zero4},[0,0,0]]}}", Bad, "z[1]");
        yield return ("/api/decode", "{\"z\":[[]]}", Bad, "z[0]");
        yield return ("/api/decode", "{\"z\":[]}", Bad, "z");
        yield return ("/api/decode", "{}", Bad, "z");
        yield return ("/api/encode", "{\"values\":[[0.5,0.5]]}", Bad, "values[0]");
        yield return ("/api/interpolate", $"{{\"z\":[{Zero4}]}}", Bad, "z");
        yield return ("/api/interpolate", "{\"test\":[1,2,3]}", Bad, "test");
        yield return ("/api/encode", $"{{\"images\":[\"{Convert.ToBase64String(PngBombs.Grey(27, 28, 28 * 28))}\"]}}", Bad, "images[0]");
        // wrong types
        yield return ("/api/decode", "{\"z\":\"abc\"}", Bad, "z");
        yield return ("/api/decode", "{\"z\":[[0,\"a\",0,0]]}", Bad, "z[0][1]");
        yield return ("/api/decode", "{\"z\":[[0,\"1\",0,0]]}", Bad, "z[0][1]");      // a number as a string
        yield return ("/api/decode", "{\"z\":[[0,true,0,0]]}", Bad, "z[0][1]");
        yield return ("/api/encode", "{\"test\":[1.5]}", Bad, "test[0]");
        yield return ("/api/score", "{\"test\":[0],\"k\":\"5\"}", Bad, "k");
        yield return ("/api/sample", "{\"n\":-3}", Bad, "n");
        yield return ("/api/sample", "{\"seed\":-1}", Bad, "seed");
        yield return ("/api/decode", $"{{\"z\":[{Zero4}],\"format\":\"jpeg\"}}", Bad, "format");
        yield return ("/api/interpolate", "{\"test\":[1,2],\"slerp\":\"yes\"}", Bad, "slerp");
        yield return ("/api/encode", "[1,2]", Bad, null);
        yield return ("/api/encode", "null", Bad, null);
        // NaN and infinities: not JSON numbers, not accepted as strings, and a float32 overflow is not finite
        yield return ("/api/decode", "{\"z\":[[0,\"NaN\",0,0]]}", Bad, "z[0][1]");
        yield return ("/api/decode", "{\"z\":[[0,1e39,0,0]]}", Bad, "z[0][1]");
        yield return ("/api/encode", $"{{\"values\":[[{string.Join(',', Enumerable.Repeat("0", 783))},\"Infinity\"]]}}", Bad, "values[0][783]");
        yield return ("/api/decode", "{\"z\":[[0,NaN,0,0]]}", Bad, "z[0][1]");
        // beyond the limits
        yield return ("/api/decode", $"{{\"z\":[{string.Join(',', Enumerable.Repeat(Zero4, 65))}]}}", TooLarge, "z");
        yield return ("/api/encode", $"{{\"test\":[{string.Join(',', Enumerable.Range(0, 65))}]}}", TooLarge, "test");
        yield return ("/api/sample", "{\"n\":65}", TooLarge, "n");
        yield return ("/api/score", "{\"test\":[0],\"k\":501}", Bad, "k");
        yield return ("/api/score", $"{{\"test\":[{string.Join(',', Enumerable.Range(0, 20))}],\"k\":500}}", TooLarge, "k");
        yield return ("/api/interpolate", "{\"test\":[1,2],\"steps\":33}", Bad, "steps");
        yield return ("/api/interpolate", "{\"test\":[1,2],\"steps\":1}", Bad, "steps");
        yield return ("/api/encode", "{\"test\":[0,10000]}", Bad, "test[1]");
        yield return ("/api/encode", "{\"test\":[-1]}", Bad, "test[0]");
        // pictures that are not what they claim
        yield return ("/api/encode", "{\"images\":[\"!!not base64!!\"]}", Bad, "images[0]");
        yield return ("/api/encode", $"{{\"images\":[\"{Picture(0)}\",\"{Convert.ToBase64String(Encoding.ASCII.GetBytes("GIF89a, not a PNG"))}\"]}}", Bad, "images[1]");
        yield return ("/api/encode", "{\"images\":[\"\"]}", Bad, "images[0]");
        yield return ("/api/encode", $"{{\"images\":[\"{Convert.ToBase64String(PngBombs.HugeHeader(100_000, 100_000))}\"]}}", Bad, "images[0]");
        yield return ("/api/encode", $"{{\"images\":[\"{Convert.ToBase64String(PngBombs.Grey(28, 28, 64L << 20))}\"]}}", Bad, "images[0]");
        yield return ("/api/encode", $"{{\"images\":[\"{Convert.ToBase64String(Convert.FromBase64String(Picture(0))[..60])}\"]}}", Bad, "images[0]");
        // unknown fields, two forms, labels for an unconditional model
        yield return ("/api/decode", $"{{\"z\":[{Zero4}],\"zz\":1}}", Bad, "zz");
        yield return ("/api/decode", $"{{\"Z\":[{Zero4}]}}", Bad, "Z");                  // names are case-sensitive
        yield return ("/api/decode", $"{{\"z\":[{Zero4}],\"z\":[{Zero4}]}}", Bad, "z");
        yield return ("/api/score", "{\"test\":[0],\"rows\":[{}]}", Bad, "test");         // the second of images, values, rows, test
        yield return ("/api/encode", "{\"test\":[0],\"values\":[[0]]}", Bad, "test");
        yield return ("/api/decode", $"{{\"z\":[{Zero4}],\"labels\":[1]}}", Bad, "labels");
        yield return ("/api/encode", "{\"rows\":[{\"x\":1}]}", Bad, "rows");
        // not JSON
        yield return ("/api/decode", "{\"z\":[[0,0,0,0]],}", Bad, null);
        yield return ("/api/decode", "{\"z\":[[0,0,0,0]] /* comment */}", Bad, null);
        yield return ("/api/decode", "{\"z\":[[0,0,0,0]]", Bad, null);
        yield return ("/api/decode", "", Bad, null);
        yield return ("/api/decode", new string('[', 100) + new string(']', 100), Bad, null);
    }

    private IEnumerable<(Served Run, string Route, string Body, string? Field)> OtherCases()
    {
        var c = runs.Conditional;
        yield return (c, "/api/decode", "{\"z\":[[0,0,0]]}", "labels");
        yield return (c, "/api/decode", "{\"z\":[[0,0,0]],\"labels\":[10]}", "labels[0]");
        yield return (c, "/api/decode", "{\"z\":[[0,0,0]],\"labels\":[\"Sneaker\"]}", "labels[0]");
        yield return (c, "/api/decode", "{\"z\":[[0,0,0]],\"labels\":[1,2]}", "labels");
        yield return (c, "/api/encode", "{\"values\":[[0.5]]}", "values[0]");
        var t = runs.Table;
        yield return (t, "/api/score", "{\"rows\":[{\"x\":1,\"colour\":\"red\"}]}", "rows[0].colour");
        yield return (t, "/api/score", "{\"rows\":[{\"x\":1},{\"side\":\"up\"}]}", "rows[1].side");
        yield return (t, "/api/score", "{\"rows\":[{\"x\":\"one\"}]}", "rows[0].x");
        yield return (t, "/api/score", "{\"rows\":[{\"x\":[1]}]}", "rows[0].x");
        yield return (t, "/api/score", "{\"rows\":[{\"x\":1e308}]}", "rows[0].x");           // finite, but not as a standardized float32
        yield return (t, "/api/score", "{\"rows\":[{\"\":1}]}", "rows[0]['']");
        yield return (t, "/api/score", "{\"rows\":[{\"x\":1,\"x\":2}]}", "rows[0].x");
        yield return (t, "/api/score", "{\"rows\":[{\"odd name\":1}]}", "rows[0]['odd name']");
        yield return (t, "/api/score", "{\"rows\":[null]}", "rows[0]");
        yield return (t, "/api/score", "{\"rows\":[[1,2]]}", "rows[0]");
        yield return (t, "/api/encode", "{\"values\":[[0.5]]}", "values");
        yield return (t, "/api/encode", "{\"images\":[\"AAAA\"]}", "images");
        yield return (t, "/api/decode", "{\"z\":[[0,0]],\"format\":\"png\"}", "format");
        yield return (t, "/api/sample", "{\"labels\":[0]}", "labels");
    }

    // Every file of the run folder with its SHA-256.
    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public async Task Bad_requests_are_refused_naming_the_field_and_leave_the_server_serving_and_the_run_untouched()
    {
        var fashion = runs.Fashion;
        var before = new[] { fashion, runs.Conditional, runs.Table }.Select(s => Snapshot(s.Run)).ToArray();
        var failures = new List<string>();
        foreach (var (route, body, status, field) in FashionCases())
        {
            var response = await fashion.Api.PostRawAsync(route, body);
            try { response.Error(status, field); }
            catch (Exception e) { failures.Add($"{route} {(body.Length > 80 ? body[..80] + "…" : body)}: {e.Message.Split('\n')[0]}"); }
        }
        foreach (var (run, route, body, field) in OtherCases())
        {
            var response = await run.Api.PostRawAsync(route, body);
            try { response.Error(Bad, field); }
            catch (Exception e) { failures.Add($"{Path.GetFileName(run.Run)} {route} {body}: {e.Message.Split('\n')[0]}"); }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // still serving, with the same answers
        var z = new float[][] { [0.1f, 0.2f, 0.3f, 0.4f] };
        var decoded = (await fashion.Api.PostAsync("/api/decode", new { z, format = "values" })).Ok();
        Close(Rows(fashion.Library.Decode(Matrix(z))), Floats(decoded.GetProperty("values")));
        Assert.Equal(before, new[] { fashion, runs.Conditional, runs.Table }.Select(s => Snapshot(s.Run)).ToArray());
    }

    [Fact]
    public async Task Body_over_the_limit_is_a_413_with_or_without_a_length()
    {
        var fashion = runs.Fashion;
        // 64 pictures as values with long decimals: about 1.4 MB, over the 1 MiB limit, though the count is allowed
        string row = "[" + string.Join(',', Enumerable.Repeat("0.1234567890123456789012345", 784)) + "]";
        byte[] body = Encoding.UTF8.GetBytes("{\"values\":[" + string.Join(',', Enumerable.Repeat(row, 64)) + "]}");
        Assert.True(body.Length > 1 << 20);
        // Over a plain socket: the server answers as soon as it knows, and may close before the client has sent all
        // (which HttpClient reports as a broken pipe instead of the answer).
        foreach (bool chunked in new[] { false, true })
        {
            var (status, json) = await RawPostAsync(fashion.Server.Address, "/api/encode", body, chunked);
            Assert.True(status == 413, $"chunked={chunked}: {status} {json}");
            var error = new ApiResponse(HttpStatusCode.RequestEntityTooLarge, System.Text.Json.JsonDocument.Parse(json).RootElement.Clone(), json);
            Assert.Contains("limit", error.Error(TooLarge, null));
        }
        Assert.Equal(HttpStatusCode.OK, (await fashion.Api.GetAsync("/api/model")).Status);
    }

    // POSTs body as JSON with a Content-Length or chunked, stops sending when the server stops reading, and returns
    // the status and body of the answer.
    private static async Task<(int Status, string Body)> RawPostAsync(Uri server, string path, byte[] body, bool chunked)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        string head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + (chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n") + "\r\n";
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            for (int at = 0; at < body.Length; at += 1 << 16)
            {
                int n = Math.Min(1 << 16, body.Length - at);
                if (chunked) await stream.WriteAsync(Encoding.ASCII.GetBytes($"{n:X}\r\n"));
                await stream.WriteAsync(body.AsMemory(at, n));
                if (chunked) await stream.WriteAsync("\r\n"u8.ToArray());
            }
            if (chunked) await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        catch (IOException)
        {
            // the server closed its side: its answer is already on the way
        }
        var answer = new MemoryStream();
        try { await stream.CopyToAsync(answer); }
        catch (IOException) { }
        string text = Encoding.UTF8.GetString(answer.ToArray());
        int status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        string content = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        if (text.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
            content = content[(content.IndexOf("\r\n", StringComparison.Ordinal) + 2)..content.LastIndexOf('}')] + "}";
        return (status, content);
    }

    [Fact]
    public async Task Wrong_content_type_unknown_route_and_wrong_method_are_json_errors()
    {
        var api = runs.Fashion.Api;
        Assert.Contains("application/json", (await api.PostRawAsync("/api/decode", "{\"z\":[[0,0,0,0]]}", "text/plain")).Error(HttpStatusCode.UnsupportedMediaType, null));
        Assert.Contains("/openapi.json", (await api.GetAsync("/api/nothing")).Error(HttpStatusCode.NotFound, null));
        (await api.GetAsync("/api/decode")).Error(HttpStatusCode.MethodNotAllowed, null);
        (await api.PostRawAsync("/api/model", "{}")).Error(HttpStatusCode.MethodNotAllowed, null);
        // the words of a few refusals
        Assert.StartsWith("z: a field given twice", (await api.PostRawAsync("/api/decode", "{\"z\":[[0,0,0,0]],\"z\":[[1,1,1,1]]}")).Error(Bad, "z"));
        Assert.Equal("zz: unknown field", (await api.PostRawAsync("/api/decode", "{\"zz\":[]}")).Error(Bad, "zz"));
        Assert.Equal("z[0][1]: expected a number", (await api.PostRawAsync("/api/decode", "{\"z\":[[0,\"NaN\",0,0]]}")).Error(Bad, "z[0][1]"));
        Assert.Equal("z[1]: 3 values, and the latent space has 4 dimensions", (await api.PostRawAsync("/api/decode", "{\"z\":[[0,0,0,0],[0,0,0]]}")).Error(Bad, "z[1]"));
    }
}
