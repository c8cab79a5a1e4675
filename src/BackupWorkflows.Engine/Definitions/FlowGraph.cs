using BackupWorkflows.Engine.Activities.Flow;

namespace BackupWorkflows.Engine.Definitions;

/// <summary>Graph facts of a definition shared by validation and execution.</summary>
internal static class FlowGraph
{
    /// <summary>
    /// Where execution begins: the Start activity when there is one, otherwise every activity
    /// without an incoming connection.
    /// </summary>
    public static IReadOnlyList<string> EntryActivities(WorkflowDefinition definition)
    {
        var starts = definition.Activities.Where(a => a.Type == StartActivity.TypeName).Select(a => a.Id).ToList();
        if (starts.Count > 0) return starts;
        var targets = definition.Connections.Select(c => c.Target).ToHashSet(StringComparer.Ordinal);
        return definition.Activities.Where(a => !targets.Contains(a.Id)).Select(a => a.Id).ToList();
    }

    /// <summary>Activity ids reachable from the entries through connections.</summary>
    public static HashSet<string> Reachable(WorkflowDefinition definition)
    {
        var next = definition.Connections.ToLookup(c => c.Source, c => c.Target, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(EntryActivities(definition));
        while (queue.TryDequeue(out var id))
            if (seen.Add(id))
                foreach (var target in next[id]) queue.Enqueue(target);
        return seen;
    }
}
