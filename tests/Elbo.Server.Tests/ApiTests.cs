using System.Net;
using System.Text.Json;
using Elbo.Evaluation;
using Microsoft.OpenApi.Reader;
using static Elbo.Server.Tests.Values;

namespace Elbo.Server.Tests;

/// <summary>The API of a served Fashion-MNIST run and of a conditional run, over loopback, each answer compared with
/// what the library (Elbo.Api.ElboModel on the same run folder) computes for the same inputs.</summary>
[Collection(ServedRunsCollection.Name)]
public sealed class ApiTests(ServedRuns runs)
{
    private Served Fashion => runs.Fashion;

    [Fact]
    public async Task Model_describes_the_run_its_shape_and_the_limits()
    {
        var model = (await Fashion.Api.GetAsync("/api/model")).Ok();
        Assert.Equal("mlp", model.GetProperty("model").GetString());
        Assert.Equal("bernoulli", model.GetProperty("likelihood").GetString());
        Assert.Equal(4, model.GetProperty("latent").GetInt32());
        Assert.Equal("image", model.GetProperty("kind").GetString());
        Assert.Equal([1, 28, 28], model.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(784, model.GetProperty("features").GetInt32());
        Assert.False(model.GetProperty("conditional").GetBoolean());
        Assert.Equal(["mu", "logvar"], model.GetProperty("posteriorParameters").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(Fashion.Test.Count, model.GetProperty("testExamples").GetInt32());
        Assert.Equal("Sneaker", model.GetProperty("labelNames")[7].GetString());
        Assert.Equal(64, model.GetProperty("limits").GetProperty("maxExamples").GetInt32());
        Assert.Equal(1 << 20, model.GetProperty("limits").GetProperty("maxBodyBytes").GetInt64());
        Assert.Equal(4, model.GetProperty("config").GetProperty("latent").GetInt32());
        Assert.Equal(4, model.GetProperty("ranking").GetArrayLength());
    }

    [Fact]
    public async Task Explorer_points_are_the_first_test_codes()
    {
        var explorer = (await Fashion.Api.GetAsync("/api/explorer")).Ok();
        Assert.Equal(500, explorer.GetProperty("points").GetInt32());
        var mu = Floats(explorer.GetProperty("mu"));
        var expected = Fashion.Library.Encode(Fashion.Examples(Enumerable.Range(0, 500).ToArray())).Mu;
        Close(Rows(expected), mu);
        Assert.Equal(Fashion.Test.Labels[..500].ToArray(), explorer.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(500, explorer.GetProperty("pca").GetProperty("coordinates").GetArrayLength());
    }

    [Fact]
    public async Task Encode_gives_the_library_codes_for_test_indices_values_and_pngs()
    {
        int[] indices = [0, 5, 17];
        var x = Fashion.Examples(indices);
        var expected = Fashion.Library.Encode(x);
        var byIndex = (await Fashion.Api.PostAsync("/api/encode", new { test = indices })).Ok();
        Assert.Equal("diagonal Gaussian", byIndex.GetProperty("family").GetString());
        Close(Rows(expected.Mu), Floats(byIndex.GetProperty("parameters").GetProperty("mu")));
        Close(Rows(expected.LogVar!), Floats(byIndex.GetProperty("parameters").GetProperty("logvar")));
        Assert.Equal(indices.Select(i => Fashion.Test.Label(i)), byIndex.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()));

        var byValues = (await Fashion.Api.PostAsync("/api/encode", new { values = Rows(x) })).Ok();
        Close(Rows(expected.Mu), Floats(byValues.GetProperty("parameters").GetProperty("mu")));
        // Fashion-MNIST's pixels are bytes / 255, so a PNG of them holds them exactly
        var byPng = (await Fashion.Api.PostAsync("/api/encode", new { images = Rows(x).Select(r => Png(r, Fashion.Test.Shape)).ToArray() })).Ok();
        Close(Rows(expected.Mu), Floats(byPng.GetProperty("parameters").GetProperty("mu")));
        Close(Rows(expected.LogVar!), Floats(byPng.GetProperty("parameters").GetProperty("logvar")));
        Assert.Equal([-1, -1, -1], byPng.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()));
    }

    [Fact]
    public async Task Decode_gives_the_library_means_as_values_and_as_pngs()
    {
        float[][] z = [[0, 0, 0, 0], [1.5f, -0.5f, 0.25f, 2], [-2, 1, -1, 0.5f]];
        var expected = Rows(Fashion.Library.Decode(Matrix(z)));
        var values = (await Fashion.Api.PostAsync("/api/decode", new { z, format = "values" })).Ok();
        Close(expected, Floats(values.GetProperty("values")));
        Assert.False(values.TryGetProperty("images", out _));

        var pngs = (await Fashion.Api.PostAsync("/api/decode", new { z })).Ok().GetProperty("images");
        Assert.Equal(3, pngs.GetArrayLength());
        for (int i = 0; i < 3; i++)
        {
            byte[] pixels = PngPixels(pngs[i].GetString()!, Fashion.Test.Shape);
            byte[] want = Bytes(expected[i]);
            Assert.True(pixels.Zip(want).All(p => Math.Abs(p.First - p.Second) <= 1), $"picture {i} differs from the library's decode");
        }
        // different points decode to different pictures
        Assert.NotEqual(pngs[0].GetString(), pngs[1].GetString());
    }

    [Fact]
    public async Task Sample_gives_the_library_samples_for_a_seed()
    {
        var expected = Rows(Fashion.Library.Sample(5, seed: 7));
        var answer = (await Fashion.Api.PostAsync("/api/sample", new { n = 5, seed = 7, format = "values" })).Ok();
        Close(expected, Floats(answer.GetProperty("values")));
        var other = (await Fashion.Api.PostAsync("/api/sample", new { n = 5, seed = 8, format = "values" })).Ok();
        Assert.NotEqual(expected[0], Floats(other.GetProperty("values"))[0]);
        var pictures = (await Fashion.Api.PostAsync("/api/sample", new { })).Ok().GetProperty("images");
        Assert.Equal(ModelApiDefaults.Samples, pictures.GetArrayLength());
    }

    [Fact]
    public async Task Reconstruct_gives_the_inputs_and_the_library_reconstructions()
    {
        int[] indices = [1, 2, 40];
        var x = Fashion.Examples(indices);
        var expected = Rows(Fashion.Library.Reconstruct(x));
        var answer = (await Fashion.Api.PostAsync("/api/reconstruct", new { test = indices, format = "values" })).Ok();
        Close(Rows(x), Floats(answer.GetProperty("inputs").GetProperty("values")), 0);
        Close(expected, Floats(answer.GetProperty("reconstructions").GetProperty("values")));

        var pictures = (await Fashion.Api.PostAsync("/api/reconstruct", new { test = indices })).Ok();
        for (int i = 0; i < indices.Length; i++)
        {
            Assert.Equal(Bytes(Row(x, i)), PngPixels(pictures.GetProperty("inputs").GetProperty("images")[i].GetString()!, Fashion.Test.Shape));
            byte[] pixels = PngPixels(pictures.GetProperty("reconstructions").GetProperty("images")[i].GetString()!, Fashion.Test.Shape);
            Assert.True(pixels.Zip(Bytes(expected[i])).All(p => Math.Abs(p.First - p.Second) <= 1));
        }
    }

    [Fact]
    public async Task Score_gives_the_library_neg_elbo_and_importance_weighted_neg_log_px()
    {
        int[] indices = [0, 3, 8, 9];
        var expected = Fashion.Library.Score(Fashion.Examples(indices), k: 50, seed: 3);
        var answer = (await Fashion.Api.PostAsync("/api/score", new { test = indices, k = 50, seed = 3 })).Ok();
        Assert.Equal(50, answer.GetProperty("k").GetInt32());
        Assert.Equal("neg_log_px", answer.GetProperty("score").GetString());
        Close(expected.NegElbo, Doubles(answer.GetProperty("negElbo")), 1e-6);
        Close(expected.NegLogPx!, Doubles(answer.GetProperty("negLogPx")), 1e-6);
        Assert.All(Doubles(answer.GetProperty("negLogPx")), v => Assert.InRange(v, 10, 2000));   // nats per picture
        // the same pictures sent as PNGs score the same
        var png = (await Fashion.Api.PostAsync("/api/score", new { images = Rows(Fashion.Examples(indices)).Select(r => Png(r, Fashion.Test.Shape)).ToArray(), k = 50, seed = 3 })).Ok();
        Close(expected.NegLogPx!, Doubles(png.GetProperty("negLogPx")), 1e-6);
    }

    [Fact]
    public async Task Interpolate_decodes_the_path_between_two_codes()
    {
        var codes = Fashion.Library.Encode(Fashion.Examples(4, 11)).Mu;
        foreach (bool slerp in new[] { false, true })
        {
            var path = Interpolation.Path(Row(codes, 0), Row(codes, 1), 6, slerp);
            var points = Enumerable.Range(0, 6).Select(i => path.AsSpan(i * 4, 4).ToArray()).ToArray();
            var expected = Rows(Fashion.Library.Decode(Matrix(points)));
            var answer = (await Fashion.Api.PostAsync("/api/interpolate", new { test = new[] { 4, 11 }, steps = 6, slerp, format = "values" })).Ok();
            Close(points, Floats(answer.GetProperty("z")));
            Close(expected, Floats(answer.GetProperty("decoded").GetProperty("values")));
        }
        // between two latent points given directly, as pictures
        float[][] ends = [[-1, -1, 0, 0], [1, 1, 0, 0]];
        var line = (await Fashion.Api.PostAsync("/api/interpolate", new { z = ends, steps = 3 })).Ok();
        Close([[-1, -1, 0, 0], [0, 0, 0, 0], [1, 1, 0, 0]], Floats(line.GetProperty("z")));
        Assert.Equal(3, line.GetProperty("decoded").GetProperty("images").GetArrayLength());
    }

    [Fact]
    public async Task OpenApi_description_is_valid_and_lists_every_route()
    {
        var response = await Fashion.Client.GetAsync("/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync();
        var result = OpenApiModelFactory.Parse(text, "json", new OpenApiReaderSettings());
        Assert.Empty(result.Diagnostic?.Errors ?? []);
        var document = result.Document!;
        Assert.Equal("Elbo model server", document.Info.Title);
        Assert.Equal(["/api/model", "/api/explorer", "/api/encode", "/api/decode", "/api/sample", "/api/reconstruct", "/api/score", "/api/interpolate"],
            document.Paths.Keys);
        foreach (string route in new[] { "/api/encode", "/api/decode", "/api/sample", "/api/reconstruct", "/api/score", "/api/interpolate" })
        {
            var post = document.Paths[route].Operations![HttpMethod.Post];
            Assert.NotNull(post.RequestBody!.Content!["application/json"].Schema);
            Assert.Equal(["200", "400", "413", "415", "503"], post.Responses!.Keys.Order());
        }
        // the schemas name the request fields the server reads
        using var json = JsonDocument.Parse(text);
        var schemas = json.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.Equal(["format", "labels", "z"], schemas.GetProperty("DecodeRequest").GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("k", schemas.GetProperty("ScoreRequest").GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Page_and_its_files_come_with_a_policy_that_allows_only_this_server()
    {
        foreach (var (path, type) in new[] { ("/", "text/html"), ("/explorer.js", "text/javascript"), ("/explorer.css", "text/css") })
        {
            using var response = await Fashion.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        }
        string html = await Fashion.Client.GetStringAsync("/");
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public async Task Conditional_model_decodes_and_samples_at_the_classes_given_by_number()
    {
        var c = runs.Conditional;
        float[][] z = [[0.5f, -1, 0], [0.5f, -1, 0]];
        var expected = Rows(c.Library.Decode(Matrix(z), [2, 7]));
        var answer = (await c.Api.PostAsync("/api/decode", new { z, labels = new object[] { 2, "7" }, format = "values" })).Ok();
        Close(expected, Floats(answer.GetProperty("values")));
        Assert.NotEqual(expected[0], expected[1]);            // the class changes the picture
        var sample = (await c.Api.PostAsync("/api/sample", new { n = 3, seed = 2, labels = new[] { 4, 4, 4 }, format = "values" })).Ok();
        Close(Rows(c.Library.Sample(3, seed: 2, label: 4)), Floats(sample.GetProperty("values")));
        // test examples bring their own labels
        var x = c.Examples(0, 1);
        var labels = new[] { c.Test.Label(0), c.Test.Label(1) };
        var scores = c.Library.Score(x, k: 20, seed: 1, labels);
        var scored = (await c.Api.PostAsync("/api/score", new { test = new[] { 0, 1 }, k = 20 })).Ok();
        Close(scores.NegLogPx!, Doubles(scored.GetProperty("negLogPx")), 1e-6);
        // 8×8 pictures as PNGs, with their labels given
        var png = (await c.Api.PostAsync("/api/reconstruct", new { images = Rows(x).Select(r => Png(r, c.Test.Shape)).ToArray(), labels })).Ok();
        var recon = Rows(c.Library.Reconstruct(x, labels));
        for (int i = 0; i < 2; i++)
            Assert.True(PngPixels(png.GetProperty("reconstructions").GetProperty("images")[i].GetString()!, c.Test.Shape)
                .Zip(Bytes(recon[i])).All(p => Math.Abs(p.First - p.Second) <= 1));
    }
}

/// <summary>The API's defaults, as the tests expect them.</summary>
internal static class ModelApiDefaults
{
    public const int Samples = Api.ModelApi.DefaultSamples;
}
