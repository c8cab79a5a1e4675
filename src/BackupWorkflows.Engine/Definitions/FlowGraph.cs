using BackupWorkflows.Engine.Activities.Flow;

namespace BackupWorkflows.Engine.Definitions;

/// <summary>Graph facts of a definition shared by validation and execution.</summary>
internal static class FlowGraph
{
    /// <summary>
    /// Where execution may begin: the Start activity when there is one, otherwise every activity
    /// without an incoming connection; and every trigger activity (<paramref name="isTrigger"/>).
    /// </summary>
    public static IReadOnlyList<string> EntryActivities(WorkflowDefinition definition, Func<string, bool>? isTrigger = null)
    {
        var triggers = TriggerActivities(definition, isTrigger);
        var starts = definition.Activities.Where(a => a.Type == StartActivity.TypeName).Select(a => a.Id).ToList();
        if (starts.Count > 0) return [.. starts, .. triggers];
        var targets = definition.Connections.Select(c => c.Target).ToHashSet(StringComparer.Ordinal);
        return definition.Activities.Where(a => !targets.Contains(a.Id) || triggers.Contains(a.Id)).Select(a => a.Id).ToList();
    }

    /// <summary>
    /// Where a start that names no trigger (API, CLI, a parent workflow) begins: the entries that are not
    /// triggers; when every entry is a trigger, the first trigger (it passes straight on).
    /// </summary>
    public static IReadOnlyList<string> ManualEntries(WorkflowDefinition definition, Func<string, bool> isTrigger)
    {
        var entries = EntryActivities(definition, isTrigger);
        var triggers = TriggerActivities(definition, isTrigger);
        var manual = entries.Where(e => !triggers.Contains(e)).ToList();
        return manual.Count > 0 ? manual : entries.Take(1).ToList();
    }

    private static HashSet<string> TriggerActivities(WorkflowDefinition definition, Func<string, bool>? isTrigger) =>
        isTrigger is null ? [] : definition.Activities.Where(a => a.Type is not null && isTrigger(a.Type)).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>Activity ids reachable from the entries through connections.</summary>
    public static HashSet<string> Reachable(WorkflowDefinition definition, Func<string, bool>? isTrigger = null)
    {
        var next = definition.Connections.ToLookup(c => c.Source, c => c.Target, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(EntryActivities(definition, isTrigger));
        while (queue.TryDequeue(out var id))
            if (seen.Add(id))
                foreach (var target in next[id]) queue.Enqueue(target);
        return seen;
    }
}
