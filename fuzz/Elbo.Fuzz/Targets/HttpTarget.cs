using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Elbo.Imaging;
using Elbo.Server;

namespace Elbo.Fuzz.Targets;

/// <summary>
/// The JSON API of <c>elbo serve</c>, over HTTP on the loopback: two real servers (<see cref="ModelServer"/>, Kestrel on
/// 127.0.0.1 and a free port) serve the <see cref="TinyRuns"/> — the conditional VAE on pictures and the table VAE —
/// with small limits, so that no request is expensive. The input's first byte picks the server and the route
/// (encode, decode, sample, reconstruct, score, interpolate); the rest is the POST body. That is the request reading
/// (<c>StrictJson</c>) and the input readers behind it (examples as base64 PNGs, value arrays, table rows, test indices;
/// labels; latent points) up to the model. A 4xx with a JSON error is a refusal; a 200 must carry JSON; a 500, any
/// other answer or a broken connection is a finding.
/// </summary>
internal sealed class HttpTarget : FuzzTarget
{
    private static readonly string[] Routes = ["encode", "decode", "sample", "reconstruct", "score", "interpolate"];

    private static readonly ServerLimits Limits = new()
    {
        MaxBodyBytes = 64 << 10, MaxExamples = 8, MaxK = 8, MaxImportanceSamples = 64, MaxSteps = 8,
    };

    private readonly StringWriter _log = new();
    private ModelServer[] _servers = [];
    private HttpClient? _client;

    public override string Name => "http";

    public override string Description => "POST /api/{encode,decode,sample,reconstruct,score,interpolate} to elbo serve (pictures and table runs)";

    public override int TimeoutMs => 5000;

    public override void Start(Scratch scratch)
    {
        var runs = TinyRuns.Train(scratch);
        var options = new ServerOptions { Host = "127.0.0.1", Port = 0, Concurrency = 1, Limits = Limits };
        _servers =
        [
            ModelServer.StartAsync(ServedRun.Load(runs.Pictures, points: 8), options, _log).GetAwaiter().GetResult(),
            ModelServer.StartAsync(ServedRun.Load(runs.Table, points: 8), options, _log).GetAwaiter().GetResult(),
        ];
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public override string? Run(byte[] input, Scratch scratch)
    {
        if (_client is null) throw new InvalidOperationException("the http target was not started");
        int pick = input.Length > 0 ? input[0] : 0;
        var server = _servers[pick / Routes.Length % _servers.Length];
        string route = Routes[pick % Routes.Length];
        using var body = new ByteArrayContent(input, Math.Min(1, input.Length), Math.Max(0, input.Length - 1));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, "api/" + route)) { Content = body };
        using var response = _client.Send(request);
        string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        int status = (int)response.StatusCode;
        if (status == 200)
        {
            using var _ = Parse(text, route, status);
            return null;
        }
        if (status is 400 or 413 or 503)
        {
            using var error = Parse(text, route, status);
            if (error.RootElement.ValueKind != JsonValueKind.Object || !error.RootElement.TryGetProperty("error", out var message)
                || message.ValueKind != JsonValueKind.String || message.GetString()!.Contains('\n'))
                throw new InvalidOperationException($"POST /api/{route}: a {status} without a one-line JSON error: {text}");
            return $"{status} {message.GetString()}";
        }
        string logged;
        lock (_log) logged = _log.ToString();
        throw new InvalidOperationException($"POST /api/{route}: {status} {text}\n{logged}");
    }

    private static JsonDocument Parse(string text, string route, int status)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"POST /api/{route}: a {status} whose body is not JSON ({e.Message}): {text}");
        }
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds(Scratch scratch)
    {
        int side = TinyRuns.Side;
        var pixels = new byte[side * side];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 17);
        string png = Convert.ToBase64String(PngWriter.Encode(pixels, side, side, PngColor.Grey));
        string values = "[" + string.Join(",", Enumerable.Range(0, side * side).Select(i => (i / 16.0).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
        const string row = """{"x":0.5,"y":1.02,"side":"right","flag":"yes","kind":"odd"}""";
        const string holes = """{"x":null,"y":-0.4,"side":"left","flag":false}""";
        var seeds = new (string Name, int Server, string Route, string Body)[]
        {
            ("pictures-encode-png", 0, "encode", $$"""{"images":["{{png}}","data:image/png;base64,{{png}}"],"labels":[3,"7"]}"""),
            ("pictures-encode-values", 0, "encode", $$"""{"values":[{{values}}],"labels":[1]}"""),
            ("pictures-decode", 0, "decode", """{"z":[[0.5,-1.25],[0,0]],"labels":[0,9],"format":"values"}"""),
            ("pictures-sample", 0, "sample", """{"n":3,"seed":7,"format":"png"}"""),
            ("pictures-reconstruct-test", 0, "reconstruct", """{"test":[0,5,11]}"""),
            ("pictures-score", 0, "score", $$"""{"images":["{{png}}"],"labels":[2],"k":4,"seed":2}"""),
            ("pictures-interpolate-z", 0, "interpolate", """{"z":[[1,2],[-1,0.5]],"labels":[1,4],"steps":5,"slerp":true}"""),
            ("pictures-interpolate-test", 0, "interpolate", """{"test":[1,2],"steps":3,"format":"values"}"""),
            ("table-encode-rows", 1, "encode", $$"""{"rows":[{{row}},{{holes}}]}"""),
            ("table-decode", 1, "decode", """{"z":[[0.1,0.2]]}"""),
            ("table-sample", 1, "sample", """{"n":4,"seed":3}"""),
            ("table-reconstruct", 1, "reconstruct", $$"""{"rows":[{{row}}]}"""),
            ("table-score-test", 1, "score", """{"test":[0,1,2],"k":2}"""),
            ("table-interpolate", 1, "interpolate", $$"""{"rows":[{{row}},{{holes}}],"steps":4}"""),
        };
        foreach (var (name, server, route, body) in seeds)
        {
            byte pick = (byte)(server * Routes.Length + Array.IndexOf(Routes, route));
            yield return (name + ".req", [pick, .. Encoding.UTF8.GetBytes(body)]);
        }
    }
}
