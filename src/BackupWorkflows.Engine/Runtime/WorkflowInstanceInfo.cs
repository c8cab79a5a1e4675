using System.Text.Json.Nodes;

namespace BackupWorkflows.Engine.Runtime;

/// <summary>State of an instance as the API shows it.</summary>
public sealed record WorkflowInstanceInfo
{
    /// <summary>Instance id.</summary>
    public required string Id { get; init; }
    /// <summary>Definition id.</summary>
    public required string DefinitionId { get; init; }
    /// <summary>Definition version the instance is pinned to.</summary>
    public required int DefinitionVersion { get; init; }
    /// <summary>Status.</summary>
    public required WorkflowStatus Status { get; init; }
    /// <summary>Correlation id.</summary>
    public string? CorrelationId { get; init; }
    /// <summary>Start input.</summary>
    public JsonObject? Input { get; init; }
    /// <summary>Variables as last committed.</summary>
    public JsonObject? Variables { get; init; }
    /// <summary>Outputs of activities, by activity id, as last committed.</summary>
    public JsonObject? Outputs { get; init; }
    /// <summary>Output given to Finish, if any.</summary>
    public JsonNode? Output { get; init; }
    /// <summary>Error that faulted the instance.</summary>
    public string? Fault { get; init; }
    /// <summary>Activity that faulted the instance.</summary>
    public string? FaultedActivityId { get; init; }
    /// <summary>Lock being waited for (status Waiting).</summary>
    public string? WaitingFor { get; init; }
    /// <summary>When a suspended instance wakes (the earliest of its timers; set once nothing else runs).</summary>
    public DateTimeOffset? ResumeAt { get; init; }
    /// <summary>Each activity waiting for its durable timer (a Delay, a durable retry) and when it resumes, read from the
    /// work items committed with the journal row that suspended it, so also while other branches still run.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> ActivityResumeAt { get; init; } = new Dictionary<string, DateTimeOffset>();
    /// <summary>Node executing the instance now.</summary>
    public string? OwnerNode { get; init; }
    /// <summary>Created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last committed change.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The trigger that started the instance and what it received (null for a plain start).</summary>
    public Triggers.TriggerStart? Trigger { get; init; }
    /// <summary>The instance that runs this one as a child (<c>Flow.RunWorkflow</c>), if any.</summary>
    public string? ParentInstanceId { get; init; }
    /// <summary>Ended (Finished, Faulted, Cancelled).</summary>
    public DateTimeOffset? EndedAt { get; init; }
}
