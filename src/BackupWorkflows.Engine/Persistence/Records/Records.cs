namespace BackupWorkflows.Engine.Persistence.Records;

// Persisted rows. Times are Unix milliseconds (long) so that comparisons and ordering
// translate identically on SQLite and PostgreSQL. JSON payloads are text columns.

/// <summary>One version of a definition.</summary>
internal sealed class DefinitionRecord
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public bool IsPublished { get; set; }
    public string ContentHash { get; set; } = "";
    public string Json { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? PublishedAt { get; set; }
    /// <summary>Deleted definitions keep their rows so version numbers are never reused (plans are cached by id and version).</summary>
    public bool IsDeleted { get; set; }
}

/// <summary>One workflow instance; <see cref="State"/> holds variables, outputs and the work items.</summary>
internal sealed class InstanceRecord
{
    public string Id { get; set; } = "";
    public string DefinitionId { get; set; } = "";
    public int DefinitionVersion { get; set; }
    public int Status { get; set; }
    public string? CorrelationId { get; set; }
    public string? IdempotencyKey { get; set; }
    public string Input { get; set; } = "{}";
    public string State { get; set; } = "{}";
    public string? Output { get; set; }
    public string? Fault { get; set; }
    public string? FaultedActivityId { get; set; }
    public string? WaitingFor { get; set; }
    public long? ResumeAt { get; set; }
    /// <summary>Concurrency token: a commit fails when another node took the instance over.</summary>
    public string? OwnerNode { get; set; }
    public long LeaseExpiresAt { get; set; }
    public bool CancelRequested { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? EndedAt { get; set; }
}

/// <summary>One execution attempt of an activity.</summary>
internal sealed class JournalRecord
{
    public long Id { get; set; }
    public string InstanceId { get; set; } = "";
    public string ActivityId { get; set; } = "";
    public string ActivityType { get; set; } = "";
    public int Attempt { get; set; }
    public bool IsResume { get; set; }
    public int Status { get; set; }
    public long StartedAt { get; set; }
    public long? EndedAt { get; set; }
    public string? Inputs { get; set; }
    public string? Outputs { get; set; }
    public string? Outcome { get; set; }
    public string? Error { get; set; }
    public string? Lines { get; set; }
    public string? Node { get; set; }
}

/// <summary>An exhausted activity.</summary>
internal sealed class IncidentRecord
{
    public long Id { get; set; }
    public string InstanceId { get; set; } = "";
    public string ActivityId { get; set; } = "";
    public string ActivityType { get; set; } = "";
    public int Attempts { get; set; }
    public string ExceptionType { get; set; } = "";
    public string Message { get; set; } = "";
    public bool Handled { get; set; }
    public long CreatedAt { get; set; }
}

/// <summary>Latest persisted progress of an activity of an instance.</summary>
internal sealed class ProgressRecord
{
    public string InstanceId { get; set; } = "";
    public string ActivityId { get; set; } = "";
    public long Done { get; set; }
    public long Total { get; set; }
    public string? Message { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>A request for (or grant of) a slot of a named lock; the id orders requests.</summary>
internal sealed class LockClaimRecord
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string InstanceId { get; set; } = "";
    public int Limit { get; set; }
    public bool Granted { get; set; }
    public long RequestedAt { get; set; }
    public long? GrantedAt { get; set; }
}

/// <summary>One row per lock name; updating it serialises grant decisions for that name across nodes.</summary>
internal sealed class LockNameRecord
{
    public string Name { get; set; } = "";
    public long Version { get; set; }
}

/// <summary>One indexed trigger activity of a published version (see <c>IWorkflowTriggers</c>).</summary>
internal sealed class TriggerRecord
{
    public long Id { get; set; }
    public string Type { get; set; } = "";
    public string Key { get; set; } = "";
    public string DefinitionId { get; set; } = "";
    public int DefinitionVersion { get; set; }
    public string ActivityId { get; set; } = "";
    public string Settings { get; set; } = "{}";
}

/// <summary>Where an instance came from, when not a plain start: the trigger that started it and with what, or its parent.</summary>
/// <remarks>A table of its own (not columns of wf_instances) so existing databases get it from <c>EnsureTablesAsync</c>.</remarks>
internal sealed class OriginRecord
{
    public string InstanceId { get; set; } = "";
    public string? TriggerActivityId { get; set; }
    public string? TriggerType { get; set; }
    public string? TriggerPayload { get; set; }
    public string? ParentInstanceId { get; set; }
}

/// <summary>A raised domain event in the outbox: written with what raised it (an instance end), dispatched after.</summary>
internal sealed class EventRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Payload { get; set; } = "{}";
    public string? InstanceId { get; set; }
    public long CreatedAt { get; set; }
    /// <summary>Null until every matching trigger has started its instance.</summary>
    public long? DispatchedAt { get; set; }
}
