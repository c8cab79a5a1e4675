using System.Text.Json.Nodes;

namespace BackupWorkflows.Engine.Activities.Flow;

/// <summary>
/// Loops over items: each execution takes <c>Iterate</c> with the next item in
/// <c>currentItem</c>/<c>index</c>; connect the end of the body back to this activity. When the
/// items are used up it takes <c>Done</c> (and starts over if reached again).
/// </summary>
[Activity("Flow.ForEach", Category = "Flow", DisplayName = "For each", Description = "Runs the Iterate branch once per item, then Done.")]
[Outcomes("Iterate", "Done")]
public sealed class ForEachActivity : Activity
{
    /// <summary>The items (e.g. the VM's volumes).</summary>
    [Input(Description = "Items to iterate over (array).", Required = true, UIHint = "json")]
    public JsonArray Items { get; set; } = [];

    /// <summary>The current item.</summary>
    [Output(Description = "The current item.")]
    public JsonNode? CurrentItem { get; private set; }

    /// <summary>0-based index of the current item.</summary>
    [Output(Description = "Index of the current item.")]
    public int Index { get; private set; }

    /// <inheritdoc />
    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        // The index is private activity state: it is committed with this execution, so a crash
        // before the commit repeats the same item rather than skipping it.
        var next = context.State["next"]?.GetValue<int>() ?? 0;
        if (next >= Items.Count)
        {
            context.State.Remove("next");
            Index = Items.Count;
            return new(ActivityResult.Outcome("Done"));
        }
        CurrentItem = Items[next]?.DeepClone();
        Index = next;
        context.State["next"] = next + 1;
        return new(ActivityResult.Outcome("Iterate"));
    }
}
