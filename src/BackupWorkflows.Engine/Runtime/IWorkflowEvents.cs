namespace BackupWorkflows.Engine.Runtime;

/// <summary>Kinds of runtime events.</summary>
public enum WorkflowEventKind
{
    /// <summary>The instance's status changed.</summary>
    InstanceStatusChanged,
    /// <summary>An activity attempt started.</summary>
    ActivityStarted,
    /// <summary>An activity completed with an outcome.</summary>
    ActivityCompleted,
    /// <summary>An activity attempt failed.</summary>
    ActivityFaulted,
    /// <summary>An activity reported progress.</summary>
    Progress,
    /// <summary>
    /// An activity suspended until <see cref="WorkflowEvent.ResumeAt"/> (a durable timer such as Delay), or a failed
    /// attempt waits for its durable retry until then (<see cref="WorkflowEvent.Message"/> is the attempt's error).
    /// </summary>
    ActivitySuspended,
}

/// <summary>One runtime event (in-process only; persisted state is in the journal).</summary>
public sealed record WorkflowEvent
{
    /// <summary>What happened.</summary>
    public required WorkflowEventKind Kind { get; init; }
    /// <summary>Instance.</summary>
    public required string InstanceId { get; init; }
    /// <summary>Definition.</summary>
    public required string DefinitionId { get; init; }
    /// <summary>When.</summary>
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>Activity, for activity and progress events.</summary>
    public string? ActivityId { get; init; }
    /// <summary>New status, for status events.</summary>
    public WorkflowStatus? Status { get; init; }
    /// <summary>Outcomes taken, for completions.</summary>
    public IReadOnlyList<string>? Outcomes { get; init; }
    /// <summary>Attempt number, for activity events.</summary>
    public int? Attempt { get; init; }
    /// <summary>Progress done.</summary>
    public long? Done { get; init; }
    /// <summary>Progress total.</summary>
    public long? Total { get; init; }
    /// <summary>Progress message or error.</summary>
    public string? Message { get; init; }
    /// <summary>When a suspended activity continues, for suspensions.</summary>
    public DateTimeOffset? ResumeAt { get; init; }
}

/// <summary>
/// In-process stream of runtime events, e.g. for server-sent events. Slow subscribers lose the
/// oldest events rather than slowing the engine.
/// </summary>
public interface IWorkflowEvents
{
    /// <summary>Events (of one instance when <paramref name="instanceId"/> is given) until cancelled.</summary>
    IAsyncEnumerable<WorkflowEvent> SubscribeAsync(string? instanceId = null, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="handler"/> synchronously for every event until disposed; keep it quick.</summary>
    IDisposable Subscribe(Action<WorkflowEvent> handler);
}
