using System.Text.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Definitions;

namespace BackupWorkflows.Engine.Runtime.Execution;

/// <summary>
/// The durable state of an instance, stored as one JSON column and rewritten with every commit:
/// variables, outputs by activity, private activity state, join arrivals and the work items.
/// </summary>
internal sealed class InstanceState
{
    public JsonObject Variables { get; set; } = [];
    public JsonObject Outputs { get; set; } = [];
    public Dictionary<string, JsonObject> ActivityState { get; set; } = [];
    public Dictionary<string, List<string>> JoinArrivals { get; set; } = [];
    public List<WorkItem> Items { get; set; } = [];
    public int NextItemId { get; set; } = 1;
    public bool LocksAcquired { get; set; }
    /// <summary>Set (and committed) before the first lock claim is written, so ending knows whether to release any.</summary>
    public bool HoldsLocks { get; set; }

    public WorkItem Schedule(string activityId)
    {
        var item = new WorkItem { Id = NextItemId++, ActivityId = activityId, State = WorkItemState.Pending };
        Items.Add(item);
        return item;
    }

    public string Serialize() => JsonSerializer.Serialize(this, DefinitionJson.Options);

    public static InstanceState Deserialize(string json) =>
        JsonSerializer.Deserialize<InstanceState>(json, DefinitionJson.Options) ?? new InstanceState();
}

/// <summary>State of a work item.</summary>
internal enum WorkItemState
{
    /// <summary>Scheduled, not started (persisted only for retried/cancelled items).</summary>
    Pending,
    /// <summary>Started; if found so on resume, the process died during it.</summary>
    Running,
    /// <summary>Waiting for its timer.</summary>
    Suspended,
    /// <summary>Failed and faulted the instance; a retry makes it Pending.</summary>
    Faulted,
}

/// <summary>One scheduled execution of an activity (a token in the flowchart).</summary>
internal sealed class WorkItem
{
    public int Id { get; set; }
    public string ActivityId { get; set; } = "";
    /// <summary>Attempts started so far (retries and resumes).</summary>
    public int Attempt { get; set; }
    public WorkItemState State { get; set; }
    /// <summary>Failed executions retried durably (<see cref="Activities.ActivityContext.RetryDurably"/>); survives restarts.</summary>
    public int Failures { get; set; }
    /// <summary>Due time (Unix ms) of a suspended item; kept as the "suspended until" of the wake-up run.</summary>
    public long? ResumeAt { get; set; }
}
