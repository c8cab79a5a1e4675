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

        // The first drop makes the view fit the new node (see the report), so later drops aim below the last node.
        await page.DropAsync("Flow.Start", "start", 420, 200);
        var (x, y) = await page.PointBelowAsync("start", 130);
        await page.DropAsync("Flow.Delay", "delay", x, y);
        (x, y) = await page.PointBelowAsync("delay", 130);
        await page.DropAsync("Flow.Finish", "finish", x, y);
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
        // Saving a new workflow moves to its own route (the designer reloads it from the server).
        await Expect(page.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/designer/e2e-designer$"));
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
