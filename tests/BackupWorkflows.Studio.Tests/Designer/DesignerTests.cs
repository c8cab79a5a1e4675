using BackupWorkflows.Studio.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace BackupWorkflows.Studio.Tests.Designer;

/// <summary>Building a workflow in the designer: palette drag, port connections, property panel, save, publish.</summary>
[Collection(StudioCollection.Name)]
public sealed class DesignerTests(StudioFixture studio)
{
    [Fact]
    public async Task DraggedAndConnectedWorkflow_WithAnInput_IsSavedAndPublished()
    {
        await using var page = await studio.OpenSignedInAsync();
        await page.ById("nav-workflows").ClickAsync();
        await page.ById("workflow-new").ClickAsync();
        await page.ById("workflow-id").FillAsync("e2e-designer");
        await page.ById("workflow-name").FillAsync("Built in the browser");

        // A drop never moves the view (the first one on an empty canvas once re-fitted it): the node stays
        // where it was dropped (its top-left 110 px left of and 30 px above the drop point, at zoom 1).
        var viewport = await page.ViewportAsync();
        await page.DropAsync("Flow.Start", "start", 420, 200);
        // React Flow shows a node once measured, and a queued fit runs in that same update.
        await Expect(page.ById("rf__node-start")).ToHaveCSSAsync("visibility", "visible");
        Assert.Equal(viewport, await page.ViewportAsync());
        var (left, top) = await page.NodeCornerAsync("start");
        Assert.True(Math.Abs(left - 310) <= 4 && Math.Abs(top - 170) <= 4, $"start dropped at (420, 200) shows its corner at ({left}, {top}); viewport {viewport}");
        var (x, y) = await page.PointBelowAsync("start", 130);
        await page.DropAsync("Flow.Delay", "delay", x, y);
        (x, y) = await page.PointBelowAsync("delay", 130);
        await page.DropAsync("Flow.Finish", "finish", x, y);
        Assert.Equal(viewport, await page.ViewportAsync());
        await page.ConnectAsync("start", "Done", "delay");
        await page.ConnectAsync("delay", "Done", "finish");

        await page.ById("node-delay").ClickAsync();
        await Expect(page.ById("prop-id")).ToHaveTextAsync("delay");
        await page.ById("input-seconds").FillAsync("1.5");
        await page.ById("input-seconds").PressAsync("Tab");
        await Expect(page.ById("node-delay")).ToHaveAttributeAsync("data-problems", "0");
        await Expect(page.ById("problems")).ToHaveAttributeAsync("data-count", "0");
        await page.ScreenshotAsync("designer");

        await page.ById("save").ClickAsync();
        // Saving a new workflow moves to its own route; the page stays (notice, undo history, selection).
        await Expect(page.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/designer/e2e-designer$"));
        await Expect(page.ById("run")).ToBeVisibleAsync(); // only a saved workflow runs: the page took the new route
        await Expect(page.ById("designer-notice")).ToHaveTextAsync("Saved draft v1.");
        await Expect(page.ById("prop-id")).ToHaveTextAsync("delay");
        await Expect(page.ById("undo")).ToBeEnabledAsync();
        await Expect(page.ById("designer-status")).ToContainTextAsync("v1");
        await Expect(page.ById("designer-published")).ToHaveTextAsync("draft");
        await Expect(page.ById("designer-dirty")).ToHaveCountAsync(0);
        await Expect(page.ById("node-finish")).ToBeVisibleAsync();
        await page.ById("publish").ClickAsync();
        await Expect(page.ById("designer-published")).ToHaveTextAsync("published");
        await Expect(page.ById("designer-notice")).ToContainTextAsync("Published v1");

        var published = await studio.Server.GetAsync("/api/workflows/e2e-designer");
        Assert.True(published["isPublished"]!.GetValue<bool>());
        Assert.Equal("Built in the browser", published["name"]!.GetValue<string>());
        var activities = published["activities"]!.AsArray().ToDictionary(a => a!["id"]!.GetValue<string>(), a => a!);
        Assert.Equal(["delay", "finish", "start"], activities.Keys.Order());
        Assert.Equal("Flow.Start", activities["start"]["type"]!.GetValue<string>());
        Assert.Equal("Flow.Delay", activities["delay"]["type"]!.GetValue<string>());
        Assert.Equal("Flow.Finish", activities["finish"]["type"]!.GetValue<string>());
        Assert.Equal(1.5, activities["delay"]["inputs"]!["seconds"]!.GetValue<double>());
        var connections = published["connections"]!.AsArray()
            .Select(c => $"{c!["source"]}:{c["outcome"]}->{c["target"]}").Order();
        Assert.Equal(["delay:Done->finish", "start:Done->delay"], connections);
        // Dropped below one another: the canvas positions follow the drop points.
        double Y(string id) => activities[id]["position"]!["y"]!.GetValue<double>();
        Assert.True(Y("start") < Y("delay") && Y("delay") < Y("finish"), published["activities"]!.ToJsonString());
        page.AssertNoConsoleErrors();
    }
}
