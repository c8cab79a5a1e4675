using System.Text.Json.Nodes;

namespace BackupWorkflows.Engine.Triggers;

/// <summary>One indexed trigger: a trigger activity of a published workflow version.</summary>
public sealed record WorkflowTrigger
{
    /// <summary>Trigger type, e.g. <c>Trigger.Http</c>.</summary>
    public required string Type { get; init; }
    /// <summary>Unique among the type's triggers: the activity's <c>UniqueKey</c> (HTTP: method and path) or <c>definition/activity</c>.</summary>
    public required string Key { get; init; }
    /// <summary>Workflow the trigger starts.</summary>
    public required string DefinitionId { get; init; }
    /// <summary>The published version it belongs to.</summary>
    public required int DefinitionVersion { get; init; }
    /// <summary>The trigger activity's id (the instance starts there).</summary>
    public required string ActivityId { get; init; }
    /// <summary>Effective settings (literal inputs over defaults).</summary>
    public required JsonObject Settings { get; init; }
}

/// <summary>
/// The trigger index: the trigger activities of published versions. Publishing a version replaces the
/// definition's rows in the same transaction; unpublishing or deleting drops them. Hosts read it to
/// dispatch (HTTP routes, Quartz jobs) and subscribe to <see cref="Changed"/> to re-sync at once.
/// </summary>
public interface IWorkflowTriggers
{
    /// <summary>Every indexed trigger, optionally of one type.</summary>
    Task<IReadOnlyList<WorkflowTrigger>> ListAsync(string? type = null, CancellationToken cancellationToken = default);

    /// <summary>The trigger of a type with a key, or null.</summary>
    Task<WorkflowTrigger?> FindAsync(string type, string key, CancellationToken cancellationToken = default);

    /// <summary>Raised on this node after the index changed (publish, unpublish, delete).</summary>
    event Action? Changed;
}

/// <summary>What started an instance through a trigger: recorded with the instance.</summary>
/// <param name="ActivityId">The trigger activity.</param>
/// <param name="Type">The trigger type.</param>
/// <param name="Payload">What the trigger received (the request, the firing time).</param>
public sealed record TriggerStart(string ActivityId, string Type, JsonObject? Payload);
