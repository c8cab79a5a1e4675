using System.Text.RegularExpressions;
using BackupWorkflows.Studio.Tests.Fixtures;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackupWorkflows.Studio.Tests.Runs;

/// <summary>Running a published workflow from the designer and following it live in the run view.</summary>
[Collection(StudioCollection.Name)]
public sealed class RunViewTests(StudioFixture studio)
{
    /// <summary>Start -> Delay (45 s) -> SetVariable(greeting = input.who) -> Finish, published through the API.
    /// The delay must outlast opening the run view on a loaded 2-core machine: 5 s did not always, and 15 s did not
    /// on a CI run where the studio assembly ran beside the guest tests (the delay was done before the view showed it).
    /// The studio tests run in parallel with the longer Backup tests, so the wait does not lengthen the suite.</summary>
    private static object Definition => new
    {
        id = "e2e-run",
        name = "Run in the browser",
        inputs = new[] { new { name = "who", type = "string", required = true } },
        variables = new[] { new { name = "greeting", type = "string" } },
        activities = new object[]
        {
            new { id = "start", type = "Flow.Start", position = new { x = 0, y = 0 } },
            new { id = "delay", type = "Flow.Delay", inputs = new { seconds = 45 }, position = new { x = 0, y = 150 } },
            new { id = "setVariable", type = "Flow.SetVariable", inputs = new { name = "greeting", value = "hello {{ input.who }}" }, position = new { x = 0, y = 300 } },
            new { id = "finish", type = "Flow.Finish", position = new { x = 0, y = 450 } },
        },
        connections = new[]
        {
            new { source = "start", outcome = "Done", target = "delay" },
            new { source = "delay", outcome = "Done", target = "setVariable" },
            new { source = "setVariable", outcome = "Done", target = "finish" },
        },
    };

    [Fact]
    public async Task RunStartedInTheStudio_NodesTurnDoneLive_FromTheEventStream()
    {
        await studio.Server.PostAsync("/api/workflows/import?publish=true", Definition);
        await using var page = await studio.OpenSignedInAsync();
        var eventStreams = new List<string>();
        page.Page.Request += (_, r) => { if (r.Url.Contains("/api/events")) lock (eventStreams) eventStreams.Add(r.Url); };

        await page.GoAsync("designer/e2e-run");
        await Expect(page.ById("designer-published")).ToHaveTextAsync("published");
        await page.ById("run").ClickAsync();
        await page.ById("run-input-who").FillAsync("e2e");
        await page.ById("run-confirm").ClickAsync();

        await Expect(page.Page).ToHaveURLAsync(new Regex("#/runs/[^/]+$"));
        var instanceId = page.Page.Url[(page.Page.Url.LastIndexOf('/') + 1)..];
        await Expect(page.ById("run-view")).ToBeVisibleAsync();
        await Expect(page.ById("run-live")).ToContainTextAsync("live");
        // While the delay holds the instance, the last nodes are still pending: what follows arrives live.
        await Expect(page.ById("node-start")).ToHaveAttributeAsync("data-state", "done");
        // Delay is a durable timer: the server says suspended (with when it resumes), not running.
        await Expect(page.ById("node-delay")).ToHaveAttributeAsync("data-state", "suspended");
        await Expect(page.ById("resumes-delay")).ToContainTextAsync("resumes at");
        Assert.Equal("pending", await page.ById("node-finish").GetAttributeAsync("data-state"));
        await page.ScreenshotAsync("run-view-running");

        // The rest of the delay can outlast the default 30 s expectation.
        await Expect(page.ById("node-delay")).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 90_000 });
        foreach (var id in new[] { "setVariable", "finish" })
            await Expect(page.ById($"node-{id}")).ToHaveAttributeAsync("data-state", "done");
        await Expect(page.ById("run-status")).ToContainTextAsync("Finished");
        await Expect(page.ById("state-finish")).ToHaveTextAsync("done");
        await Expect(page.ById("journal")).ToContainTextAsync("Flow.Finish");
        await page.ScreenshotAsync("run-view");
        lock (eventStreams) Assert.Contains(eventStreams, u => u.Contains($"instanceId={instanceId}"));

        var instance = await studio.Server.GetAsync($"/api/instances/{instanceId}");
        Assert.Equal("Finished", instance["status"]!.GetValue<string>());
        Assert.Equal("e2e", instance["input"]!["who"]!.GetValue<string>());
        Assert.Equal("hello e2e", instance["variables"]!["greeting"]!.GetValue<string>());
        Assert.All(new[] { "start", "delay", "setVariable", "finish" },
            id => Assert.Equal("done", instance["activities"]![id]!["status"]!.GetValue<string>()));

        await page.ById("nav-runs").ClickAsync();
        await Expect(page.ById($"run-status-{instanceId}")).ToContainTextAsync("Finished");
        await page.ScreenshotAsync("runs");
        page.AssertNoConsoleErrors();
    }
}
