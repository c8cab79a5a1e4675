using BackupWorkflows.Testing.Guests;
using BackupWorkflows.Testing.Servers;
using Microsoft.Playwright;

namespace BackupWorkflows.Studio.Tests.Fixtures;

/// <summary>The studio's browser tests share one server, one Chromium and one guest (booted on first use).</summary>
[CollectionDefinition(Name)]
public sealed class StudioCollection : ICollectionFixture<StudioFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "studio";
}

/// <summary>
/// One real server (child process, own data directory, serving <c>studio/dist</c>) and one headless
/// Debian Chromium driven by Playwright. The libvirt guest for the backup test boots in the
/// background from the start, so its 5–15 s overlap the other tests.
/// </summary>
public sealed class StudioFixture : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("bwf-studio-tests-").FullName;
    private ServerProcess? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private Task<TestGuest>? _guest;

    /// <summary>The repository's root (holds BackupWorkflows.sln).</summary>
    public static string RepositoryRoot { get; } = BackupWorkflows.Testing.RepositoryRoot.Path;

    /// <summary>Where screenshots are kept as test artifacts (git-ignored).</summary>
    public static string ScreenshotDirectory => Path.Combine(RepositoryRoot, "artifacts", "screenshots");

    /// <summary>The running server.</summary>
    public ServerProcess Server => _server ?? throw new InvalidOperationException("not initialized");

    /// <summary>The shared guest; starts booting when the fixture starts.</summary>
    public Task<TestGuest> GuestAsync() => _guest ?? throw new InvalidOperationException("not initialized");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var dist = StudioDist;
        if (!File.Exists(Path.Combine(dist, "index.html")))
            throw new InvalidOperationException($"{dist}/index.html is missing: run `cd studio && npm ci && npm run build` first.");
        Directory.CreateDirectory(ScreenshotDirectory);
        // libvirt's qemu user reaches into the data directory (staging, repositories): not 0700.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_data, (UnixFileMode)0b111_101_101);
        _guest = TestGuest.CreateAsync("studio");
        _server = await ServerProcess.StartAsync(new ServerProcessOptions { DataDirectory = _data, StudioDirectory = dist, WaitForAdminKey = true });
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        // A loaded 2-core machine: TCG guests and builds next to the browser.
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    /// <summary>A fresh browser context and page on the studio, signed in with the admin key through the sign-in form.</summary>
    public async Task<StudioPage> OpenSignedInAsync()
    {
        var page = await StudioPage.OpenAsync(_browser!, Server.Url);
        await page.SignInAsync(Server.AdminKey);
        return page;
    }

    /// <summary>A fresh browser context and page on the studio served by <paramref name="url"/> (not signed in).</summary>
    public Task<StudioPage> OpenAsync(string url) => StudioPage.OpenAsync(_browser!, url);

    /// <summary>The built studio (<c>studio/dist</c>).</summary>
    public static string StudioDist => Path.Combine(RepositoryRoot, "studio", "dist");

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        if (_guest is not null)
        {
            try { await (await _guest).DisposeAsync(); }
            catch (Exception) { /* the boot failed: the test that used it reported why */ }
        }
        try { Directory.Delete(_data, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
