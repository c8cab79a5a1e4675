using BackupWorkflows.Studio.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace BackupWorkflows.Studio.Tests.Pages;

/// <summary>Each main page renders its content without a browser error; screenshots are kept as artifacts.</summary>
[Collection(StudioCollection.Name)]
public sealed class MainPagesTests(StudioFixture studio)
{
    [Fact]
    public async Task MainPages_RenderTheServersData_WithoutBrowserErrors()
    {
        await studio.Server.PostAsync("/api/offerings", new { name = "nightly", chainSize = 7 });
        var schedule = await studio.Server.PostAsync("/api/schedules", new { offering = "nightly", cron = "0 0 3 * * ?", timeZone = "UTC", keep = 7 });
        await using var page = await studio.OpenSignedInAsync();

        await page.ById("nav-workflows").ClickAsync();
        await Expect(page.ById("workflow-row-backup")).ToBeVisibleAsync();
        await Expect(page.ById("workflow-row-restore")).ToBeVisibleAsync();
        await page.ScreenshotAsync("workflows");

        await page.ById("workflow-open-backup").ClickAsync();
        await Expect(page.ById("designer-published")).ToHaveTextAsync("published");
        await Expect(page.ById("problems")).ToHaveAttributeAsync("data-count", "0");
        await page.ScreenshotAsync("designer-backup");

        await page.ById("nav-runs").ClickAsync();
        await Expect(page.ById("runs-page")).ToBeVisibleAsync();
        await page.ScreenshotAsync("runs-page");

        await page.ById("nav-vms").ClickAsync();
        await Expect(page.ById("vms-page")).ToBeVisibleAsync();
        await page.ScreenshotAsync("vms");

        await page.ById("nav-infrastructure").ClickAsync();
        await Expect(page.ById("host-local")).ToBeVisibleAsync();
        await Expect(page.ById("repo-default")).ToBeVisibleAsync();
        await page.ScreenshotAsync("infrastructure");

        await page.ById("nav-schedules").ClickAsync();
        await Expect(page.ById($"schedule-{schedule!["id"]}")).ToContainTextAsync("nightly");
        await page.ScreenshotAsync("schedules");
        page.AssertNoConsoleErrors();
    }
}
