using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackupWorkflows.Studio.Tests.Fixtures;

/// <summary>Designer gestures with real pointer events (React Flow listens to them, not to synthetic clicks).</summary>
public static class CanvasActions
{
    /// <summary>Drags palette item <paramref name="type"/> onto the canvas at (<paramref name="x"/>, <paramref name="y"/>)
    /// relative to the canvas (HTML5 drag and drop) and waits for node <paramref name="activityId"/>.</summary>
    public static async Task DropAsync(this StudioPage studio, string type, string activityId, float x, float y)
    {
        await studio.ById($"palette-item-{type}").DragToAsync(studio.ById("canvas"),
            new LocatorDragToOptions { TargetPosition = new TargetPosition { X = x, Y = y } });
        await Expect(studio.ById($"node-{activityId}")).ToBeVisibleAsync();
    }

    /// <summary>A point on the canvas (relative to it) <paramref name="gap"/> pixels below node <paramref name="activityId"/>'s centre.</summary>
    public static async Task<(float X, float Y)> PointBelowAsync(this StudioPage studio, string activityId, float gap)
    {
        var canvas = await studio.ById("canvas").BoundingBoxAsync() ?? throw new InvalidOperationException("no canvas box");
        var node = await Centre(studio.ById($"node-{activityId}"));
        return (node.X - canvas.X, node.Y - canvas.Y + gap);
    }

    /// <summary>Connects outcome <paramref name="outcome"/> of <paramref name="source"/> to <paramref name="target"/>'s
    /// input port: mouse down on the source port, move in steps, release on the target port.</summary>
    public static async Task ConnectAsync(this StudioPage studio, string source, string outcome, string target)
    {
        var from = await Centre(studio.ById($"port-{source}-out-{outcome}"));
        var to = await Centre(studio.ById($"port-{target}-in"));
        var mouse = studio.Page.Mouse;
        await mouse.MoveAsync(from.X, from.Y);
        await mouse.DownAsync();
        await mouse.MoveAsync((from.X + to.X) / 2, (from.Y + to.Y) / 2, new MouseMoveOptions { Steps = 8 });
        await mouse.MoveAsync(to.X, to.Y, new MouseMoveOptions { Steps = 8 });
        await mouse.UpAsync();
        await Expect(studio.Page.GetByTestId($"rf__edge-{source}:{outcome}->{target}")).ToHaveCountAsync(1);
    }

    /// <summary>React Flow's pan and zoom as drawn: the CSS transform of the canvas viewport.</summary>
    public static Task<string> ViewportAsync(this StudioPage studio) =>
        studio.ById("canvas").Locator(".react-flow__viewport").EvaluateAsync<string>("e => e.style.transform");

    /// <summary>The top-left corner of node <paramref name="activityId"/> relative to the canvas.</summary>
    public static async Task<(float X, float Y)> NodeCornerAsync(this StudioPage studio, string activityId)
    {
        var canvas = await studio.ById("canvas").BoundingBoxAsync() ?? throw new InvalidOperationException("no canvas box");
        var node = await studio.ById($"rf__node-{activityId}").BoundingBoxAsync() ?? throw new InvalidOperationException($"no box of {activityId}");
        return (node.X - canvas.X, node.Y - canvas.Y);
    }

    private static async Task<(float X, float Y)> Centre(ILocator locator)
    {
        var box = await locator.BoundingBoxAsync() ?? throw new InvalidOperationException($"{locator} has no box");
        return (box.X + box.Width / 2, box.Y + box.Height / 2);
    }
}
