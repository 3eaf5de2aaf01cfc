using Microsoft.Playwright;

namespace Elbo.Report.Tests;

/// <summary>One headless Chromium for a test class: Debian's <c>/usr/bin/chromium</c> driven by Playwright. When the
/// browser is not installed, every test that asks for it fails with a message naming scripts/setup.sh; nothing is
/// skipped and no browser is downloaded.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    /// <summary>Where Debian's chromium package puts the browser.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _problem;

    /// <summary>The browser; fails the calling test when it could not be started.</summary>
    public IBrowser Browser => _browser ?? throw new Xunit.Sdk.XunitException(_problem ?? "chromium was not started");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            _problem = $"chromium is not installed ({ExecutablePath} is missing): run scripts/setup.sh, which installs Debian's chromium package";
            return;
        }
        try
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true });
        }
        catch (PlaywrightException e)
        {
            _problem = $"headless chromium ({ExecutablePath}) did not start under Playwright: {e.Message.Split('\n')[0]}";
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser != null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
