using BackupWorkflows.Studio.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace BackupWorkflows.Studio.Tests.Runs;

/// <summary>The run view says what really happened: a durable timer waiting, a cancelled run's stopped and skipped
/// activities, a timer's wake-up, and a faulted run that an operator gives up.</summary>
[Collection(StudioCollection.Name)]
public sealed class RunStatesTests(StudioFixture studio)
{
    /// <summary>Start -> Decision(true) -> True: Delay(input.wait) -> Finish; False: a Fault never reached.</summary>
    private static object Branching => new
    {
        id = "e2e-states",
        name = "Run states",
        inputs = new[] { new { name = "wait", type = "number", required = true } },
        activities = new object[]
        {
            new { id = "start", type = "Flow.Start", position = new { x = 0, y = 0 } },
            new { id = "decide", type = "Flow.Decision", inputs = new { condition = true }, position = new { x = 0, y = 190 } },
            new { id = "delay", type = "Flow.Delay", inputs = new { seconds = "{{ input.wait }}" }, position = new { x = 0, y = 380 } },
            new { id = "never", type = "Flow.Fault", inputs = new { message = "not taken" }, position = new { x = 280, y = 380 } },
            new { id = "finish", type = "Flow.Finish", position = new { x = 0, y = 570 } },
        },
        connections = new[]
        {
            new { source = "start", outcome = "Done", target = "decide" },
            new { source = "decide", outcome = "True", target = "delay" },
            new { source = "decide", outcome = "False", target = "never" },
            new { source = "delay", outcome = "Done", target = "finish" },
        },
    };

    private static object Faulting => new
    {
        id = "e2e-faulting",
        name = "Faults",
        activities = new object[]
        {
            new { id = "start", type = "Flow.Start", position = new { x = 0, y = 0 } },
            new { id = "fail", type = "Flow.Fault", inputs = new { message = "disk full" }, position = new { x = 0, y = 190 } },
        },
        connections = new[] { new { source = "start", outcome = "Done", target = "fail" } },
    };

    private async Task<string> RunAsync(string workflow, object input) =>
        (await studio.Server.PostAsync($"/api/workflows/{workflow}/run", new { input }))!["instanceId"]!.GetValue<string>();

    [Fact]
    public async Task RunView_ShowsSuspendedCancelledSkippedResumedStates_AndCancelsAFaultedRun()
    {
        await studio.Server.PostAsync("/api/workflows/import?publish=true", Branching);
        await studio.Server.PostAsync("/api/workflows/import?publish=true", Faulting);
        var waiting = await RunAsync("e2e-states", new { wait = 600 });
        var quick = await RunAsync("e2e-states", new { wait = 1 });
        var faulted = await RunAsync("e2e-faulting", new { });
        await using var page = await studio.OpenSignedInAsync();

        // A durable timer: suspended, with the moment it resumes; cancelling the run stops it and skips the rest.
        await page.GoAsync($"runs/{waiting}");
        await Expect(page.ById("node-delay")).ToHaveAttributeAsync("data-state", "suspended");
        await Expect(page.ById("resumes-delay")).ToContainTextAsync("resumes at");
        await page.ById("cancel").ClickAsync();
        await Expect(page.ById("run-status")).ToHaveTextAsync("Cancelled");
        await Expect(page.ById("node-delay")).ToHaveAttributeAsync("data-state", "cancelled");
        await Expect(page.ById("progress-delay")).ToHaveCountAsync(0);
        await Expect(page.ById("node-finish")).ToHaveAttributeAsync("data-state", "skipped");
        await Expect(page.ById("node-never")).ToHaveAttributeAsync("data-state", "skipped");
        await page.ScreenshotAsync("run-view-cancelled");

        // A finished run: the branch it did not take is skipped; the timer's wake-up is a resume, not attempt 2.
        Assert.Equal("Finished", (await studio.Server.WaitForEndAsync(quick, TimeSpan.FromSeconds(90)))["status"]!.GetValue<string>());
        await page.GoAsync($"runs/{quick}");
        await Expect(page.ById("run-status")).ToHaveTextAsync("Finished");
        await Expect(page.ById("node-never")).ToHaveAttributeAsync("data-state", "skipped");
        await Expect(page.ById("node-finish")).ToHaveAttributeAsync("data-state", "done");
        await Expect(page.ById("journal")).ToContainTextAsync("resumed after the timer");

        // A faulted run: its message as written, no exception type; an operator may cancel it.
        await page.GoAsync($"runs/{faulted}");
        await Expect(page.ById("run-status")).ToHaveTextAsync("Faulted");
        await Expect(page.ById("run-fault")).ToContainTextAsync("disk full");
        Assert.DoesNotContain("Exception", await page.ById("run-fault").TextContentAsync() ?? "");
        await page.ById("cancel").ClickAsync();
        await Expect(page.ById("run-status")).ToHaveTextAsync("Cancelled");
        Assert.Equal("Cancelled", (await studio.Server.GetAsync($"/api/instances/{faulted}"))["status"]!.GetValue<string>());
        page.AssertNoConsoleErrors();
    }
}
