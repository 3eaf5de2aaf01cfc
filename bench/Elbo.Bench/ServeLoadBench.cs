using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Elbo.Engine.Gemm;

namespace Elbo.Bench;

/// <summary>
/// `serve-load`: the load on a running <c>elbo serve</c> (bench/serve_load.sh starts one on the quick start's run).
/// Each round sends <c>--requests</c> decode requests at once (one latent point each, drawn per request), waits for
/// every answer, then as many score requests at once (one test picture each, k importance samples, the API's
/// default 100). Every request that is not answered 200 with a JSON body counts as a failure. First, 100 requests of
/// each kind one at a time: their median latency is what a request costs without a queue. Per round: the latency
/// of each request from send to last byte (p50, p99, max) and requests per second (requests / wall time of the
/// round's burst); at the end the median of the rounds. Options: --url (required), --requests 1000, --rounds 3,
/// --k 100, --warmup 20.
/// </summary>
public static class ServeLoadBench
{
    public static int Run(string[] args)
    {
        if (BenchArgs.Str(args, "--url") is not { } url)
        {
            Console.Error.WriteLine("serve-load: give --url http://127.0.0.1:PORT/ of a running elbo serve (bench/serve_load.sh starts one)");
            return 2;
        }
        int requests = BenchArgs.Int(args, "--requests", 1000), rounds = Math.Max(1, BenchArgs.Int(args, "--rounds", 3));
        int k = BenchArgs.Int(args, "--k", 100), warmup = BenchArgs.Int(args, "--warmup", 20);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10),
        };
        using var model = JsonDocument.Parse(client.GetStringAsync("api/model").GetAwaiter().GetResult());
        var m = model.RootElement;
        int latent = m.GetProperty("latent").GetInt32(), tests = m.GetProperty("testExamples").GetInt32();
        Console.WriteLine($"serve-load: {url} serving {m.GetProperty("model").GetString()}, latent {latent}, {m.GetProperty("likelihood").GetString()} likelihood, " +
            $"{string.Join('x', m.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()))} inputs, {tests:N0} test examples");
        Console.WriteLine($"CPU {GemmCalibration.CpuModel()}, {Environment.ProcessorCount} cores; {requests:N0} concurrent requests per burst, {rounds} rounds, " +
            $"decode: 1 point as PNG, score: 1 test picture with k = {k}; queue limit {m.GetProperty("limits").GetProperty("maxQueued").GetInt32():N0}");

        var bursts = new (string Name, Func<int, string> Body, string Route)[]
        {
            ("decode", i => Decode(i, latent), "api/decode"),
            ("score", i => $"{{\"test\":[{i % tests}],\"k\":{k}}}", "api/score"),
        };
        foreach (var (_, body, route) in bursts) Burst(client, route, body, warmup);          // JIT and connections
        foreach (var (name, body, route) in bursts)
        {
            // one at a time: what a request costs without a queue
            var alone = Enumerable.Range(0, 100).Select(i => Burst(client, route, j => body(i), 1).P50).ToArray();
            Console.WriteLine($"{name} one at a time: median {BenchArgs.Median(alone):F2} ms over 100 requests");
        }
        var results = bursts.ToDictionary(b => b.Name, _ => new List<BurstResult>());
        for (int r = 0; r < rounds; r++)
            foreach (var (name, body, route) in bursts)
            {
                var result = Burst(client, route, body, requests);
                results[name].Add(result);
                Console.WriteLine($"round {r + 1} {name}: {result.Ok:N0} answered 200, {result.Failed} failed; p50 {result.P50:F1} ms, p99 {result.P99:F1} ms, " +
                    $"max {result.Max:F1} ms; {result.PerSecond:F0} requests/s ({result.Wall:F2} s){(result.FirstFailure is { } f ? $"; first failure: {f}" : "")}");
            }
        bool allOk = true;
        foreach (var (name, list) in results)
        {
            int failed = list.Sum(x => x.Failed);
            allOk &= failed == 0;
            Console.WriteLine($"serve-load {name}: median of {rounds} rounds: p50 {BenchArgs.Median(list.Select(x => x.P50).ToArray()):F1} ms, " +
                $"p99 {BenchArgs.Median(list.Select(x => x.P99).ToArray()):F1} ms, {BenchArgs.Median(list.Select(x => x.PerSecond).ToArray()):F0} requests/s; " +
                $"{failed} of {list.Count * requests:N0} failed");
        }
        return allOk ? 0 : 1;
    }

    private static string Decode(int i, int latent)
    {
        var rng = new Random(i);
        var z = new StringBuilder("{\"z\":[[");
        for (int u = 0; u < latent; u++)
            z.Append(u == 0 ? "" : ",").Append(((float)(rng.NextDouble() * 4 - 2)).ToString("R", CultureInfo.InvariantCulture));
        return z.Append("]]}").ToString();
    }

    private sealed record BurstResult(int Ok, int Failed, double P50, double P99, double Max, double Wall, string? FirstFailure)
    {
        public double PerSecond => (Ok + Failed) / Wall;
    }

    // Sends n requests at once and waits for all.
    private static BurstResult Burst(HttpClient client, string route, Func<int, string> body, int n)
    {
        var bodies = Enumerable.Range(0, n).Select(body).ToArray();
        var latencies = new double[n];
        var failures = new string?[n];
        var clock = Stopwatch.StartNew();
        var tasks = new Task[n];
        for (int i = 0; i < n; i++)
        {
            int at = i;
            tasks[i] = Task.Run(async () =>
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new StringContent(bodies[at], Encoding.UTF8, "application/json");
                    using var response = await client.PostAsync(route, content).ConfigureAwait(false);
                    byte[] answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    if (response.StatusCode != HttpStatusCode.OK || answer.Length == 0 || answer[0] != (byte)'{')
                        failures[at] = $"{(int)response.StatusCode} {Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, 200)))}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    failures[at] = $"{e.GetType().Name}: {e.Message}";
                }
                latencies[at] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            });
        }
        Task.WaitAll(tasks);
        double wall = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        int failed = failures.Count(f => f is not null);
        return new BurstResult(n - failed, failed, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1], wall,
            failures.FirstOrDefault(f => f is not null));
    }

    // The nearest-rank percentile of sorted values.
    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
