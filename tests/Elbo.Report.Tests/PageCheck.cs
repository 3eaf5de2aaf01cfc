using System.Text.Json;
using Microsoft.Playwright;

namespace Elbo.Report.Tests;

/// <summary>What a browser made of a page: every image decoded with a size, every inline SVG drawn with a non-empty
/// box, and no console error, page error, failed request or request for anything outside the page.</summary>
public sealed class PageCheck
{
    /// <summary>The images (their alt text) on the page.</summary>
    public List<string> Images { get; } = [];

    /// <summary>The top-level inline SVG drawings (their aria-label) on the page.</summary>
    public List<string> Drawings { get; } = [];

    /// <summary>The ids of the page's sections, in order.</summary>
    public List<string> Sections { get; } = [];

    /// <summary>Images not complete, of zero natural size, or that failed to decode.</summary>
    public List<string> BrokenImages { get; } = [];

    /// <summary>Drawings whose box on the page or whose content is empty.</summary>
    public List<string> EmptyDrawings { get; } = [];

    /// <summary>Console errors and uncaught page errors.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Requests that failed.</summary>
    public List<string> FailedRequests { get; } = [];

    /// <summary>Requests for anything but the page itself and data: URLs.</summary>
    public List<string> OutsideRequests { get; } = [];

    /// <summary>Every problem found, one line each (empty when the page is sound).</summary>
    public List<string> Problems()
    {
        var p = new List<string>();
        p.AddRange(BrokenImages.Select(x => "broken image: " + x));
        p.AddRange(EmptyDrawings.Select(x => "empty drawing: " + x));
        p.AddRange(Errors.Select(x => "error: " + x));
        p.AddRange(FailedRequests.Select(x => "failed request: " + x));
        p.AddRange(OutsideRequests.Select(x => "request outside the page: " + x));
        return p;
    }

    private const string Inspect = """
        async () => {
          const images = [];
          for (const img of document.images) {
            let decoded = true;
            try { await img.decode(); } catch { decoded = false; }
            images.push({ name: img.alt || img.src.slice(0, 60), ok: decoded && img.complete && img.naturalWidth > 0 && img.naturalHeight > 0 });
          }
          const drawings = [];
          for (const svg of document.querySelectorAll('svg')) {
            if (svg.parentElement && svg.parentElement.closest('svg')) continue;
            const box = svg.getBoundingClientRect();
            let content = { width: 0, height: 0 };
            try { content = svg.getBBox(); } catch { }
            drawings.push({ name: svg.getAttribute('aria-label') || '(unlabelled svg)', ok: box.width > 0 && box.height > 0 && content.width > 0 && content.height > 0 });
          }
          const sections = [...document.querySelectorAll('section')].map(s => s.id);
          return JSON.stringify({ images, drawings, sections });
        }
        """;

    /// <summary>Opens <paramref name="htmlFile"/> in a new page of <paramref name="browser"/> and inspects it.</summary>
    public static async Task<PageCheck> RunAsync(IBrowser browser, string htmlFile)
    {
        var check = new PageCheck();
        string url = new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri;
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1100, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Console += (_, m) => { if (m.Type == "error") lock (check) check.Errors.Add(m.Text); };
        page.PageError += (_, e) => { lock (check) check.Errors.Add(e); };
        page.RequestFailed += (_, r) => { lock (check) check.FailedRequests.Add($"{r.Url} ({r.Failure})"); };
        page.Request += (_, r) =>
        {
            if (r.Url != url && !r.Url.StartsWith("data:", StringComparison.Ordinal)) lock (check) check.OutsideRequests.Add(r.Url);
        };
        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Load });
        string json = await page.EvaluateAsync<string>(Inspect);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        using var doc = JsonDocument.Parse(json);
        foreach (var img in doc.RootElement.GetProperty("images").EnumerateArray())
        {
            string name = img.GetProperty("name").GetString()!;
            check.Images.Add(name);
            if (!img.GetProperty("ok").GetBoolean()) check.BrokenImages.Add(name);
        }
        foreach (var svg in doc.RootElement.GetProperty("drawings").EnumerateArray())
        {
            string name = svg.GetProperty("name").GetString()!;
            check.Drawings.Add(name);
            if (!svg.GetProperty("ok").GetBoolean()) check.EmptyDrawings.Add(name);
        }
        foreach (var s in doc.RootElement.GetProperty("sections").EnumerateArray()) check.Sections.Add(s.GetString()!);
        return check;
    }
}
