using System.Text.RegularExpressions;
using BackupWorkflows.Studio.Tests.Fixtures;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackupWorkflows.Studio.Tests.Designer;

/// <summary>No lost work in the designer: a typed value that does not parse, unsaved changes on a link or Back,
/// the Run dialog's checks, and a viewer who cannot move nodes. Several checks per test keep the browser time small.</summary>
[Collection(StudioCollection.Name)]
public sealed class DesignerTrustTests(StudioFixture studio)
{
    private static object Definition => new
    {
        id = "e2e-trust",
        name = "Trusted designer",
        inputs = new[] { new { name = "wait", type = "number", required = true } },
        activities = new object[]
        {
            new { id = "start", type = "Flow.Start", position = new { x = 0, y = 0 } },
            new { id = "delay", type = "Flow.Delay", inputs = new { seconds = "{{ input.wait }}" }, position = new { x = 0, y = 190 } },
            new { id = "finish", type = "Flow.Finish", position = new { x = 0, y = 380 } },
        },
        connections = new[]
        {
            new { source = "start", outcome = "Done", target = "delay" },
            new { source = "delay", outcome = "Done", target = "finish" },
        },
    };

    [Fact]
    public async Task TypedWork_IsKeptOrAskedAbout_NeverDroppedSilently()
    {
        await studio.Server.PostAsync("/api/workflows/import?publish=true", Definition);
        await using var page = await studio.OpenSignedInAsync();
        await page.GoAsync("designer/e2e-trust");
        await Expect(page.ById("designer-published")).ToHaveTextAsync("published");

        // The Run dialog: a number that does not parse cannot start a run; Esc closes the dialog.
        await page.ById("run").ClickAsync();
        await page.ById("run-input-wait").FillAsync("abc");
        await Expect(page.ById("run-input-wait-parse-error")).ToHaveTextAsync("Enter a number.");
        await Expect(page.ById("run-confirm")).ToBeDisabledAsync();
        await page.ById("run-input-wait").FillAsync("2");
        await Expect(page.ById("run-confirm")).ToBeEnabledAsync();
        await page.Page.Keyboard.PressAsync("Escape");
        await Expect(page.ById("run-dialog")).ToHaveCountAsync(0);

        // "ten" in Delay seconds stays in the field and is a problem: a save does not drop it.
        await page.ById("node-delay").ClickAsync();
        await page.ById("input-seconds-mode").ClickAsync(); // binding -> literal
        await page.ById("input-seconds").FillAsync("ten");
        await Expect(page.ById("input-seconds-parse-error")).ToHaveTextAsync("Enter a number.");
        await Expect(page.ById("node-delay")).Not.ToHaveAttributeAsync("data-problems", "0");
        await Expect(page.ById("problems")).Not.ToHaveAttributeAsync("data-count", "0");
        await page.ById("save").ClickAsync();
        await Expect(page.ById("error-banner")).ToContainTextAsync("ten");
        Assert.Equal("{{ input.wait }}", (await studio.Server.GetAsync("/api/workflows/e2e-trust"))["activities"]![1]!["inputs"]!["seconds"]!.GetValue<string>());
        await Expect(page.ById("designer-dirty")).ToBeVisibleAsync();

        // Back and a nav link ask before the unsaved change is lost; declined, the designer stays with it.
        page.AcceptDialogs = false;
        await page.Page.GoBackAsync();
        await Expect(page.Page).ToHaveURLAsync(new Regex("#/designer/e2e-trust$"));
        await UntilAsync(() => page.Dialogs.Count == 1, "Back asked");
        Assert.Equal(["Discard unsaved changes?"], page.Dialogs);
        await page.ById("nav-runs").ClickAsync();
        await Expect(page.Page).ToHaveURLAsync(new Regex("#/designer/e2e-trust$"));
        await UntilAsync(() => page.Dialogs.Count == 2, "the link asked");
        Assert.Equal(["Discard unsaved changes?", "Discard unsaved changes?"], page.Dialogs);
        await Expect(page.ById("designer-dirty")).ToBeVisibleAsync();
        await Expect(page.ById("input-seconds")).ToHaveValueAsync("ten");
        page.AcceptDialogs = true;
        await page.ById("nav-runs").ClickAsync();
        await Expect(page.ById("runs-page")).ToBeVisibleAsync();
        // The one refused save above is Chromium's console line "status of 400 … /api/workflows/e2e-trust".
        page.AssertNoConsoleErrors("status of 400 (Bad Request) (" + studio.Server.Url + "/api/workflows/e2e-trust");

        // Two versions side by side; a revert asks first and, declined, makes no version.
        var changed = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Definition))!;
        changed["activities"]![1]!["inputs"]!["seconds"] = 5;
        await studio.Server.PostAsync("/api/workflows/import", changed);
        await page.GoAsync("designer/e2e-trust");
        await page.ById("versions-toggle").ClickAsync();
        await page.ById("versions-compare").ClickAsync();
        var row = page.ById("diff-changed-delay.inputs.seconds");
        await Expect(row).ToContainTextAsync("{{ input.wait }}");
        await Expect(row).ToContainTextAsync("5");
        page.AcceptDialogs = false;
        await page.ById("version-revert-1").ClickAsync();
        await UntilAsync(() => page.Dialogs.Contains("Replace the draft with a copy of v1?"), "revert asked");
        page.AcceptDialogs = true;
        Assert.Equal(2, (await studio.Server.GetAsync("/api/workflows/e2e-trust/versions")).AsArray().Count);
        page.AssertNoConsoleErrors("status of 400 (Bad Request) (" + studio.Server.Url + "/api/workflows/e2e-trust");

        // A viewer sees the flow but cannot move a node.
        var viewerKey = (await studio.Server.PostAsync("/api/keys", new { name = "trust-viewer", role = "viewer" }))!["key"]!.GetValue<string>();
        await using var viewer = await studio.OpenAsync(studio.Server.Url);
        await viewer.SignInAsync(viewerKey, "viewer");
        await viewer.GoAsync("designer/e2e-trust");
        await Expect(viewer.ById("node-delay")).ToBeVisibleAsync();
        // The node's place on the flow (its wrapper's transform); a drag on it may pan the view, but not move it.
        var node = viewer.ById("rf__node-delay");
        var before = await node.EvaluateAsync<string>("e => e.style.transform");
        var box = await viewer.ById("node-delay").BoundingBoxAsync() ?? throw new InvalidOperationException("no box");
        var mouse = viewer.Page.Mouse;
        await mouse.MoveAsync(box.X + box.Width / 2, box.Y + 20);
        await mouse.DownAsync();
        await mouse.MoveAsync(box.X + box.Width / 2 + 200, box.Y + 120, new MouseMoveOptions { Steps = 8 });
        await mouse.UpAsync();
        Assert.Equal(before, await node.EvaluateAsync<string>("e => e.style.transform"));
        viewer.AssertNoConsoleErrors();
    }

    /// <summary>Waits for a state of the page's own records (a dialog arrives as an event, after the click returned).</summary>
    internal static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not seen in 30 s: {what}");
            await Task.Delay(50);
        }
    }
}
