using static Elbo.Server.Tests.Values;

namespace Elbo.Server.Tests;

/// <summary>Many requests at once on one model: each answer is the one the same request gets alone.</summary>
[Collection(ServedRunsCollection.Name)]
public sealed class ConcurrencyTests(ServedRuns runs)
{
    // Request i: a decode of its own three latent points, or a score of its own test examples, or an encode.
    private static (string Route, object Body) Request(int i)
    {
        var rng = new Random(i);
        float[][] z = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 4).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray()).ToArray();
        return (i % 3) switch
        {
            0 => ("/api/decode", new { z, format = "values" }),
            1 => ("/api/score", new { test = new[] { i, i + 1 }, k = 64, seed = (ulong)i }),
            _ => ("/api/encode", new { test = new[] { i, 2 * i, 3 * i } }),
        };
    }

    [Fact]
    public async Task Parallel_decodes_scores_and_encodes_answer_what_serial_ones_do()
    {
        var fashion = runs.Fashion;
        const int count = 96;
        var serial = new string[count];
        for (int i = 0; i < count; i++)
        {
            var (route, body) = Request(i);
            var response = await fashion.Api.PostAsync(route, body);
            response.Ok();
            serial[i] = response.Text;
        }
        // all at once (the gate runs one per core and queues the rest), twice over
        for (int round = 0; round < 2; round++)
        {
            var parallel = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(async () =>
            {
                var (route, body) = Request(i);
                return await fashion.Api.PostAsync(route, body);
            })));
            for (int i = 0; i < count; i++)
            {
                parallel[i].Ok();
                Assert.True(serial[i] == parallel[i].Text, $"request {i} ({Request(i).Route}) answered differently in parallel");
            }
        }
        // and what the library computes for request 1 (a score)
        var scores = fashion.Library.Score(fashion.Examples(1, 2), k: 64, seed: 1);
        var first = (await fashion.Api.PostAsync("/api/score", Request(1).Body)).Ok();
        Close(scores.NegLogPx!, Doubles(first.GetProperty("negLogPx")), 1e-6);
    }

    [Fact]
    public async Task Parallel_calls_on_two_models_do_not_disturb_each_other()
    {
        // the engine's thread-local scratch state and its one shared thread pool, used by two models at once
        var c = runs.Conditional;
        float[][] z = [[0.3f, -0.2f, 1]];
        string cvae = (await c.Api.PostAsync("/api/decode", new { z, labels = new[] { 3 }, format = "values" })).Text;
        string fashion = (await runs.Fashion.Api.PostAsync("/api/sample", new { n = 8, seed = 5, format = "values" })).Text;
        var all = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => i % 2 == 0
            ? c.Api.PostAsync("/api/decode", new { z, labels = new[] { 3 }, format = "values" })
            : runs.Fashion.Api.PostAsync("/api/sample", new { n = 8, seed = 5, format = "values" })));
        for (int i = 0; i < all.Length; i++) Assert.Equal(i % 2 == 0 ? cvae : fashion, all[i].Text);
    }

    [Fact]
    public async Task Beyond_the_queue_a_request_is_a_503_at_once_and_the_server_goes_on()
    {
        var run = ServedRun.Load(runs.Fashion.Run, points: 10);
        await using var server = await ModelServer.StartAsync(run, new ServerOptions { Port = 0, Concurrency = 1, Limits = new ServerLimits { MaxQueued = 1 } });
        using var client = new HttpClient { BaseAddress = server.Address };
        var api = new ApiClient(client);
        var body = new { test = Enumerable.Range(0, 16).ToArray(), k = 400 };
        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() => api.PostAsync("/api/score", body))));
        var busy = answers.Where(a => a.Status == System.Net.HttpStatusCode.ServiceUnavailable).ToArray();
        var ok = answers.Where(a => a.Status == System.Net.HttpStatusCode.OK).ToArray();
        Assert.Equal(answers.Length, busy.Length + ok.Length);
        Assert.NotEmpty(busy);
        Assert.NotEmpty(ok);
        Assert.Contains("busy", busy[0].Error(System.Net.HttpStatusCode.ServiceUnavailable, null));
        Assert.All(ok, a => Assert.Equal(ok[0].Text, a.Text));
        Assert.Equal(ok[0].Text, (await api.PostAsync("/api/score", body)).Text);   // and afterwards it serves
    }
}
