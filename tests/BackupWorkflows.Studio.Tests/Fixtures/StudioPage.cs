using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackupWorkflows.Studio.Tests.Fixtures;

/// <summary>
/// One browser context and page on the studio. Every console message of type error and every
/// uncaught page error is collected; <see cref="AssertNoConsoleErrors"/> fails on any of them.
/// </summary>
public sealed class StudioPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];
    private readonly List<string> _dialogs = [];

    private StudioPage(IBrowserContext context, IPage page, string url)
    {
        _context = context;
        Page = page;
        Url = url;
        page.Console += (_, m) => { if (m.Type == "error") lock (_errors) _errors.Add($"console: {m.Text} ({m.Location})"); };
        page.PageError += (_, e) => { lock (_errors) _errors.Add($"page error: {e}"); };
    }

    /// <summary>The page.</summary>
    public IPage Page { get; }

    /// <summary>The studio's base URL.</summary>
    public string Url { get; }

    /// <summary>Opens a new context (1600×1000) and page.</summary>
    public static async Task<StudioPage> OpenAsync(IBrowser browser, string url)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var studio = new StudioPage(context, page, url);
        // Deletes and discards ask window.confirm: accepted unless a test declines them.
        page.Dialog += async (_, d) =>
        {
            lock (studio._dialogs) studio._dialogs.Add(d.Message);
            if (studio.AcceptDialogs) await d.AcceptAsync(); else await d.DismissAsync();
        };
        return studio;
    }

    /// <summary>Whether <c>window.confirm</c> questions are answered OK (the default) or Cancel.</summary>
    public bool AcceptDialogs { get; set; } = true;

    /// <summary>The questions the page asked with <c>window.confirm</c>, in order.</summary>
    public IReadOnlyList<string> Dialogs { get { lock (_dialogs) return [.. _dialogs]; } }

    /// <summary>Locator of a <c>data-testid</c>.</summary>
    public ILocator ById(string testId) => Page.GetByTestId(testId);

    /// <summary>Signs in through the form with <paramref name="key"/> and waits until the studio shows <paramref name="role"/>.</summary>
    public async Task SignInAsync(string key, string role = "admin")
    {
        await Page.GotoAsync(Url + "/");
        await ById("signin-key").FillAsync(key);
        await ById("signin-submit").ClickAsync();
        await Expect(ById("current-role")).ToHaveTextAsync(role);
    }

    /// <summary>Navigates to a hash route, e.g. <c>vms/web-1</c>.</summary>
    public async Task GoAsync(string route)
    {
        await Page.EvaluateAsync("r => { location.hash = '#/' + r; }", route);
    }

    /// <summary>Saves a full-page screenshot as <c>artifacts/screenshots/{name}.png</c>.</summary>
    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(StudioFixture.ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>Fails when the page logged an error or threw, other than the ones a test caused on purpose: a console
    /// error holding one of <paramref name="expected"/> (e.g. Chromium's log line of a refused request).</summary>
    public void AssertNoConsoleErrors(params string[] expected)
    {
        lock (_errors)
        {
            var unexpected = _errors.Where(e => !expected.Any(x => e.StartsWith("console: ", StringComparison.Ordinal) && e.Contains(x, StringComparison.Ordinal))).ToList();
            Assert.True(unexpected.Count == 0, "browser errors:\n" + string.Join('\n', unexpected));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
