using System.Text.Json.Nodes;

namespace BackupWorkflows.Engine.Journal;

/// <summary>Status of one execution attempt.</summary>
public enum ExecutionStatus
{
    /// <summary>Started, not ended (or the process died: see <see cref="Interrupted"/>).</summary>
    Running,
    /// <summary>Ended with outcome(s).</summary>
    Completed,
    /// <summary>Ended with an error.</summary>
    Faulted,
    /// <summary>Returned a durable timer.</summary>
    Suspended,
    /// <summary>The process died during the attempt; it ran again on resume.</summary>
    Interrupted,
    /// <summary>Stopped by cancellation (instance cancelled, or another branch faulted/finished).</summary>
    Cancelled,
}

/// <summary>One execution attempt of an activity.</summary>
public sealed record JournalEntry
{
    /// <summary>Sequence number (ascending in execution order).</summary>
    public required long Id { get; init; }
    /// <summary>Instance.</summary>
    public required string InstanceId { get; init; }
    /// <summary>Activity id.</summary>
    public required string ActivityId { get; init; }
    /// <summary>Activity type and version, e.g. <c>Flow.Delay@1</c>.</summary>
    public required string ActivityType { get; init; }
    /// <summary>1-based attempt (retries and resumes).</summary>
    public required int Attempt { get; init; }
    /// <summary>True when this attempt re-runs one interrupted by a crash.</summary>
    public bool IsResume { get; init; }
    /// <summary>Status.</summary>
    public required ExecutionStatus Status { get; init; }
    /// <summary>Start.</summary>
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>End.</summary>
    public DateTimeOffset? EndedAt { get; init; }
    /// <summary>Evaluated inputs, sensitive ones masked as <c>***</c>.</summary>
    public JsonObject? Inputs { get; init; }
    /// <summary>Outputs.</summary>
    public JsonObject? Outputs { get; init; }
    /// <summary>Outcomes taken (comma separated).</summary>
    public string? Outcome { get; init; }
    /// <summary>Error message with its exception type.</summary>
    public string? Error { get; init; }
    /// <summary>Lines the activity added with <c>context.Journal</c>.</summary>
    public IReadOnlyList<string> Lines { get; init; } = [];
    /// <summary>Node that ran the attempt.</summary>
    public string? Node { get; init; }
}

/// <summary>An activity whose retries were exhausted (or that failed without retry).</summary>
public sealed record Incident
{
    /// <summary>Id.</summary>
    public required long Id { get; init; }
    /// <summary>Instance.</summary>
    public required string InstanceId { get; init; }
    /// <summary>Activity id.</summary>
    public required string ActivityId { get; init; }
    /// <summary>Activity type.</summary>
    public required string ActivityType { get; init; }
    /// <summary>Attempts made.</summary>
    public required int Attempts { get; init; }
    /// <summary>Exception type.</summary>
    public required string ExceptionType { get; init; }
    /// <summary>Message.</summary>
    public required string Message { get; init; }
    /// <summary>True when the <c>Failed</c> outcome handled it; false when it faulted the instance.</summary>
    public required bool Handled { get; init; }
    /// <summary>When.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Latest progress of an activity.</summary>
public sealed record ActivityProgress(
    string InstanceId, string ActivityId, long Done, long Total, string? Message, DateTimeOffset UpdatedAt);
