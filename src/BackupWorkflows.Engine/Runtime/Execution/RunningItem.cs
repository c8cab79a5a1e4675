using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Persistence.Records;

namespace BackupWorkflows.Engine.Runtime.Execution;

/// <summary>An item being executed now: its journal row, evaluated inputs and buffered effects.</summary>
internal sealed class RunningItem(WorkItem item, PlannedActivity activity)
{
    public WorkItem Item { get; } = item;
    public PlannedActivity Activity { get; } = activity;
    public JournalRecord Journal { get; set; } = null!;
    public bool IsResume { get; init; }
    public DateTimeOffset? SuspendedUntil { get; init; }
    /// <summary>Evaluated inputs (unmasked), or null when evaluation failed.</summary>
    public JsonObject? Inputs { get; set; }
    public Exception? InputError { get; set; }
    /// <summary>Variable writes, applied to the instance only when the execution completes.</summary>
    public Dictionary<string, JsonNode?> VariableWrites { get; } = [];
    public List<string> Lines { get; } = [];
    public JsonObject ActivityState { get; set; } = [];
    /// <summary>Set by the activity (<see cref="ActivityContext.RetryDurably"/>): how a failure of this execution is retried.</summary>
    public (int MaxAttempts, TimeSpan Interval)? DurableRetry { get; set; }
    public Task<ItemResult> Task { get; set; } = null!;
}

/// <summary>How an item execution ended.</summary>
internal sealed record ItemResult(RunningItem Running)
{
    public ActivityResult? Result { get; init; }
    public JsonObject? Outputs { get; init; }
    /// <summary>Set when retries were exhausted or the error is not retryable.</summary>
    public Exception? Error { get; init; }
    /// <summary>Stopped by cancellation, shutdown or loss of the lease.</summary>
    public bool Cancelled { get; init; }
}
