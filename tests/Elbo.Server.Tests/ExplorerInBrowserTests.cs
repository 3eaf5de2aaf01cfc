using System.Text.Json;
using Elbo.Evaluation;
using Elbo.Report.Tests;
using Microsoft.Playwright;
using static Elbo.Server.Tests.Values;

namespace Elbo.Server.Tests;

/// <summary>The latent explorer of a served Fashion-MNIST run in headless Chromium: it loads without a console error
/// and asks nothing of anyone but the server; the pointer over the plane, a latent slider, a click on a test point
/// and a second click each change what the page shows, and what it shows is what the library computes.</summary>
[Collection(ServedRunsCollection.Name)]
public sealed class ExplorerInBrowserTests(ServedRuns runs, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>A page of the explorer with every request and console error recorded.</summary>
    internal sealed class ExplorerPage : IAsyncDisposable
    {
        private readonly IBrowserContext _context;

        private ExplorerPage(IBrowserContext context, IPage page, Uri origin)
        {
            _context = context;
            Page = page;
            Origin = origin;
        }

        public IPage Page { get; }

        public Uri Origin { get; }

        public List<string> Requests { get; } = [];

        public List<string> Errors { get; } = [];

        public static async Task<ExplorerPage> OpenAsync(IBrowser browser, Uri server, int width = 1280, int height = 900)
        {
            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            var explorer = new ExplorerPage(context, page, server);
            page.Request += (_, r) => { lock (explorer.Requests) explorer.Requests.Add(r.Url); };
            page.Console += (_, m) => { if (m.Type == "error") lock (explorer.Errors) explorer.Errors.Add(m.Text); };
            page.PageError += (_, e) => { lock (explorer.Errors) explorer.Errors.Add(e); };
            page.RequestFailed += (_, r) => { lock (explorer.Errors) explorer.Errors.Add($"failed request {r.Url}: {r.Failure}"); };
            await page.GotoAsync(server.AbsoluteUri);
            await page.WaitForSelectorAsync("body[data-ready='true']");
            await explorer.IdleAsync(1);
            return explorer;
        }

        public int Decodes => int.Parse(Page.EvaluateAsync<string>("() => document.body.dataset.decodes || '0'").Result, System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>Waits until at least <paramref name="decodes"/> decodings were shown and none is in flight.</summary>
        public Task IdleAsync(int decodes) => Page.WaitForFunctionAsync(
            "n => Number(document.body.dataset.decodes || 0) >= n && document.body.dataset.decoding === 'false'", decodes,
            new() { Timeout = 30_000 });

        /// <summary>The base64 PNGs of the pictures in <paramref name="selector"/>, in order.</summary>
        public async Task<string[]> PicturesAsync(string selector) =>
            (await Page.Locator($"{selector} img").EvaluateAllAsync<string[]>("images => images.map(i => i.src)"))
                .Select(src => src["data:image/png;base64,".Length..]).ToArray();

        /// <summary>The latent point the shown decoding is of.</summary>
        public async Task<float[]> ShownZAsync() =>
            (await Page.EvaluateAsync<JsonElement>("() => window.elboExplorer.shownZ()")).EnumerateArray().Select(v => v.GetSingle()).ToArray();

        /// <summary>Where the canvas is on the page.</summary>
        public async Task<LocatorBoundingBoxResult> CanvasAsync() => (await Page.Locator("#scatter").BoundingBoxAsync())!;

        /// <summary>Clicks test point <paramref name="index"/> of the plane.</summary>
        public async Task ClickPointAsync(int index)
        {
            var box = await CanvasAsync();
            var at = await Page.EvaluateAsync<JsonElement>("i => window.elboExplorer.pointOnCanvas(i)", index);
            await Page.Mouse.ClickAsync((float)(box.X + at.GetProperty("x").GetDouble()), (float)(box.Y + at.GetProperty("y").GetDouble()));
        }

        /// <summary>Test points with no other within 6 CSS pixels, so a click finds them alone.</summary>
        public async Task<int[]> IsolatedPointsAsync(int points) => await Page.EvaluateAsync<int[]>("""
            n => {
              const at = [...Array(n).keys()].map(i => window.elboExplorer.pointOnCanvas(i));
              const box = document.getElementById('scatter').getBoundingClientRect();
              return at.map((p, i) => [p, i]).filter(([p, i]) => p.x > 20 && p.y > 20 && p.x < box.width - 20 && p.y < box.height - 20
                && at.every((q, j) => j === i || (p.x - q.x) ** 2 + (p.y - q.y) ** 2 > 36)).map(([, i]) => i);
            }
            """, points);

        public void AssertOnlyOwnOrigin()
        {
            string origin = Origin.GetLeftPart(UriPartial.Authority);
            lock (Requests)
            {
                Assert.NotEmpty(Requests);
                Assert.All(Requests, url => Assert.True(url.StartsWith(origin + "/", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal),
                    $"a request outside the server: {url}"));
            }
            lock (Errors) Assert.Empty(Errors);
        }

        public async ValueTask DisposeAsync() => await _context.DisposeAsync();
    }

    private static int Differing(byte[] a, byte[] b) => a.Zip(b).Count(p => Math.Abs(p.First - p.Second) > 1);

    private void AssertDecodes(string png, float[] z)
    {
        var fashion = runs.Fashion;
        var expected = Bytes(Row(fashion.Library.Decode(Matrix([z])), 0));
        Assert.Equal(0, Differing(expected, PngPixels(png, fashion.Test.Shape)));
    }

    [Fact]
    public async Task Pointer_slider_clicks_and_interpolation_show_what_the_library_computes()
    {
        var fashion = runs.Fashion;
        await using var explorer = await ExplorerPage.OpenAsync(chromium.Browser, fashion.Server.Address);
        var page = explorer.Page;
        Assert.Contains("Sneaker", await page.Locator("#legend span").AllTextContentsAsync());
        Assert.Equal(4, await page.Locator("#sliders input[type=range]").CountAsync());

        // at the start: the decoding of z = 0
        string atStart = (await explorer.PicturesAsync("#decoded")).Single();
        Assert.Equal(new float[4], await explorer.ShownZAsync());
        AssertDecodes(atStart, [0, 0, 0, 0]);

        // the pointer over the plane decodes where it is
        var box = await explorer.CanvasAsync();
        int decodes = explorer.Decodes;
        await page.Mouse.MoveAsync((float)(box.X + box.Width * 0.85), (float)(box.Y + box.Height * 0.15));
        await explorer.IdleAsync(decodes + 1);
        string moved = (await explorer.PicturesAsync("#decoded")).Single();
        var z = await explorer.ShownZAsync();
        Assert.NotEqual(new float[4], z);
        Assert.True(Differing(PngPixels(atStart, fashion.Test.Shape), PngPixels(moved, fashion.Test.Shape)) > 20, "moving the pointer did not change the picture");
        AssertDecodes(moved, z);
        Assert.Contains(z[0].ToString("F2", System.Globalization.CultureInfo.InvariantCulture), await page.TextContentAsync("#z-readout"));

        // a slider moves one latent dimension (the most informative first) and decodes there
        int top = int.Parse((await page.Locator("#sliders input").First.GetAttributeAsync("data-dim"))!, System.Globalization.CultureInfo.InvariantCulture);
        decodes = explorer.Decodes;
        await page.Locator($"#slider-{top}").FillAsync("-2.5");
        await explorer.IdleAsync(decodes + 1);
        string slid = (await explorer.PicturesAsync("#decoded")).Single();
        var zSlid = await explorer.ShownZAsync();
        Assert.Equal(-2.5f, zSlid[top]);
        for (int u = 0; u < 4; u++) if (u != top) Assert.Equal(z[u], zSlid[u]);
        Assert.True(Differing(PngPixels(moved, fashion.Test.Shape), PngPixels(slid, fashion.Test.Shape)) > 20, "the slider did not change the picture");
        AssertDecodes(slid, zSlid);

        // a click on a test point: that example beside its reconstruction
        var isolated = await explorer.IsolatedPointsAsync(500);
        Assert.True(isolated.Length >= 2, "no two isolated points to click");
        int first = isolated[0], second = isolated[^1];
        await explorer.ClickPointAsync(first);
        await page.WaitForSelectorAsync($"body[data-example='{first}']");
        var pair = await explorer.PicturesAsync("#example");
        Assert.Equal(2, pair.Length);
        var x = fashion.Examples(first);
        Assert.Equal(Bytes(Row(x, 0)), PngPixels(pair[0], fashion.Test.Shape));
        Assert.Equal(0, Differing(Bytes(Row(fashion.Library.Reconstruct(x), 0)), PngPixels(pair[1], fashion.Test.Shape)));
        Assert.Contains($"test {first}", await page.TextContentAsync("#example"));

        // a second point: the path between the two, from the first's code to the second's
        await explorer.ClickPointAsync(second);
        await page.WaitForSelectorAsync($"body[data-interpolation='{first},{second}']");
        var path = await explorer.PicturesAsync("#interpolation");
        Assert.Equal(8, path.Length);
        var codes = fashion.Library.Encode(fashion.Examples(first, second)).Mu;
        var line = Interpolation.Path(Row(codes, 0), Row(codes, 1), 8, slerp: false);
        var decoded = Rows(fashion.Library.Decode(Matrix(Enumerable.Range(0, 8).Select(i => line.AsSpan(i * 4, 4).ToArray()).ToArray())));
        for (int i = 0; i < 8; i++) Assert.Equal(0, Differing(Bytes(decoded[i]), PngPixels(path[i], fashion.Test.Shape)));
        Assert.NotEqual(path[0], path[^1]);
        Assert.Equal(second.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.EvaluateAsync<string>("() => document.body.dataset.example"));

        explorer.AssertOnlyOwnOrigin();
    }

    [Fact]
    public async Task Page_asks_for_nothing_outside_the_server_even_when_a_script_tries()
    {
        // The page's own Content-Security-Policy keeps any outside request from leaving the browser.
        await using var explorer = await ExplorerPage.OpenAsync(chromium.Browser, runs.Fashion.Server.Address);
        string blocked = await explorer.Page.EvaluateAsync<string>("""
            () => fetch('http://127.0.0.1:9/x.json').then(() => 'fetched', e => 'blocked: ' + e.name)
            """);
        Assert.Equal("blocked: TypeError", blocked);
        lock (explorer.Errors) Assert.Contains(explorer.Errors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));
        lock (explorer.Requests) Assert.DoesNotContain(explorer.Requests, r => r.StartsWith("http://127.0.0.1:9/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Table_run_shows_rows_instead_of_pictures()
    {
        await using var explorer = await ExplorerPage.OpenAsync(chromium.Browser, runs.Table.Server.Address);
        var page = explorer.Page;
        Assert.Equal(1, await page.Locator("#decoded table").CountAsync());
        var isolated = await explorer.IsolatedPointsAsync(runs.Table.Test.Count);
        await explorer.ClickPointAsync(isolated[0]);
        await page.WaitForSelectorAsync($"body[data-example='{isolated[0]}']");
        string text = (await page.TextContentAsync("#example table"))!;
        Assert.Contains("reconstruction", text);
        Assert.Contains("side", text);
        explorer.AssertOnlyOwnOrigin();
    }

    /// <summary>The picture of docs/explorer.png. scripts/explorer_screenshot.sh runs this test with ELBO_EXPLORER_RUN
    /// (a run folder: the quick start's) and ELBO_EXPLORER_SCREENSHOT (where the PNG goes); without them it shoots the
    /// test run into a temporary file. Either way the picture must show the page with every panel filled.</summary>
    [Fact]
    public async Task Screenshot_of_the_explorer_shows_every_panel_filled()
    {
        string? runFolder = Environment.GetEnvironmentVariable("ELBO_EXPLORER_RUN");
        string output = Environment.GetEnvironmentVariable("ELBO_EXPLORER_SCREENSHOT") is { Length: > 0 } path ? path : Path.Combine(runs.Dir, "explorer.png");
        Served? own = string.IsNullOrEmpty(runFolder) ? null : await Served.StartAsync(runFolder, new ServerLimits());
        var served = own ?? runs.Fashion;
        try
        {
            await using var explorer = await ExplorerPage.OpenAsync(chromium.Browser, served.Server.Address, 1280, 860);
            var page = explorer.Page;
            int points = (await served.Api.GetAsync("/api/explorer")).Ok().GetProperty("points").GetInt32();
            var isolated = await explorer.IsolatedPointsAsync(points);
            // two isolated points of different classes, for a path worth looking at
            int first = isolated[0];
            int second = isolated.Where(i => served.Test.Label(i) != served.Test.Label(first)).DefaultIfEmpty(isolated[^1]).Last();
            await explorer.ClickPointAsync(first);
            await page.WaitForSelectorAsync($"body[data-example='{first}']");
            await explorer.ClickPointAsync(second);
            await page.WaitForSelectorAsync($"body[data-interpolation='{first},{second}']");
            var box = await explorer.CanvasAsync();
            int decodes = explorer.Decodes;
            await page.Mouse.MoveAsync((float)(box.X + box.Width * 0.62), (float)(box.Y + box.Height * 0.4));
            await explorer.IdleAsync(decodes + 1);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await page.ScreenshotAsync(new() { Path = output, FullPage = true });
            explorer.AssertOnlyOwnOrigin();
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
        var (rgba, width, height) = Elbo.Data.ImageDecoder.DecodeRgba(File.ReadAllBytes(output));
        Assert.Equal(1280, width);
        Assert.InRange(height, 860, 4000);
        var colours = new HashSet<int>();
        for (int i = 0; i < rgba.Length; i += 4) colours.Add(rgba[i] << 16 | rgba[i + 1] << 8 | rgba[i + 2]);
        Assert.True(colours.Count > 200, $"the picture has {colours.Count} colours: a blank page?");
    }
}
