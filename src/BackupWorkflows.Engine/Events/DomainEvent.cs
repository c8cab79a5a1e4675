using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Runtime;

namespace BackupWorkflows.Engine.Events;

/// <summary>
/// A domain event the product raises (<c>backup.failed</c>, …): a name and a payload of flat fields
/// (<c>vm</c>, <c>offering</c>, <c>host</c>, <c>backupId</c>, <c>instanceId</c>, <c>result</c>, <c>error</c>).
/// Raised events go to the <c>wf_events</c> outbox first; the dispatcher then starts the workflows whose
/// <c>Trigger.Event</c> matches them.
/// </summary>
/// <param name="Name">One of <see cref="DomainEventNames.All"/>.</param>
/// <param name="Payload">The event's fields.</param>
public sealed record DomainEvent(string Name, JsonObject Payload);

/// <summary>The events the product raises, and the payload fields a <c>Trigger.Event</c> may filter on.</summary>
public static class DomainEventNames
{
    /// <summary>A backup instance finished.</summary>
    public const string BackupCompleted = "backup.completed";
    /// <summary>A backup instance faulted.</summary>
    public const string BackupFailed = "backup.failed";
    /// <summary>A restore (or quick restore) instance finished.</summary>
    public const string RestoreCompleted = "restore.completed";
    /// <summary>A restore (or quick restore) instance faulted.</summary>
    public const string RestoreFailed = "restore.failed";
    /// <summary>A validation ended; <c>result</c> is its result (Valid, Invalid, UnableToValidate, or Faulted when it faulted).</summary>
    public const string ValidationFinished = "validation.finished";
    /// <summary>A job (compression or validation) faulted.</summary>
    public const string JobFailed = "job.failed";

    /// <summary>Every event name, in the order the studio lists them.</summary>
    public static readonly IReadOnlyList<string> All = [BackupCompleted, BackupFailed, RestoreCompleted, RestoreFailed, ValidationFinished, JobFailed];

    /// <summary>Payload fields a trigger may filter on (exact match; empty matches anything).</summary>
    public static readonly IReadOnlyList<string> FilterFields = ["vm", "offering", "host", "result"];
}

/// <summary>An instance that has just ended, as <see cref="IDomainEventSource"/>s see it (before its end is committed).</summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="DefinitionId">Its workflow.</param>
/// <param name="DefinitionVersion">Its version.</param>
/// <param name="Status">Finished, Faulted or Cancelled.</param>
/// <param name="Input">Its input.</param>
/// <param name="Output">What it gave to Finish.</param>
/// <param name="Fault">Why it faulted.</param>
/// <param name="StepOutputs">Outputs of its activities by activity id.</param>
public sealed record EndedInstance(string InstanceId, string DefinitionId, int DefinitionVersion, WorkflowStatus Status,
    JsonObject Input, JsonNode? Output, string? Fault, JsonObject StepOutputs);

/// <summary>
/// Says which domain events an ended instance raises. The engine asks every registered source when an instance ends
/// and writes the events into the outbox in the same transaction as the end, so an end is never committed without
/// its events (nor the other way round). A source must be quick and must not throw for an instance it does not know.
/// </summary>
public interface IDomainEventSource
{
    /// <summary>The events <paramref name="ended"/> raises (none for workflows the source does not own).</summary>
    ValueTask<IReadOnlyList<DomainEvent>> EventsOfAsync(EndedInstance ended, CancellationToken cancellationToken);
}

/// <summary>Raises domain events from outside an instance end (tests, other product code); durably, through the same outbox.</summary>
public interface IDomainEvents
{
    /// <summary>Writes the event to the outbox and wakes the dispatcher; returns the event's id.</summary>
    Task<string> RaiseAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default);

    /// <summary>Dispatches every pending event now (the background loop does this too); returns how many were handled.</summary>
    Task<int> DispatchPendingAsync(CancellationToken cancellationToken = default);
}
