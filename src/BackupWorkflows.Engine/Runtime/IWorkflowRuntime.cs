using System.Text.Json.Nodes;

namespace BackupWorkflows.Engine.Runtime;

/// <summary>Options of a start.</summary>
public sealed record StartOptions
{
    /// <summary>Free-form id that links the instance to something outside (a job, a request).</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Starting twice with the same key (per definition) and the same input returns the first instance; the same
    /// key with another input throws <see cref="WorkflowIdempotencyConflictException"/>. Keys live on the instances, so
    /// they last until retention purges the instance.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// The trigger that starts the instance (recorded with it): the instance begins at that trigger
    /// activity. Without it the instance begins at the Start activity or the non-trigger entries.
    /// </summary>
    public Triggers.TriggerStart? Trigger { get; init; }

    /// <summary>The instance that starts this one as a child (<c>Flow.RunWorkflow</c>); cancelling the parent cancels it.</summary>
    public string? ParentInstanceId { get; init; }

    /// <summary>A version to start instead of the published one; it must have been published at some time.</summary>
    public int? DefinitionVersion { get; init; }
}

/// <summary>Starts, cancels and retries workflow instances.</summary>
public interface IWorkflowRuntime
{
    /// <summary>
    /// Starts an instance of the published version of <paramref name="definitionId"/> and
    /// returns its id at once; execution continues in the background on this node.
    /// Throws <see cref="Definitions.WorkflowNotPublishedException"/> for a draft-only definition,
    /// <see cref="Definitions.WorkflowDefinitionNotFoundException"/> for an unknown id and
    /// <see cref="WorkflowInputException"/> when required inputs are missing, and
    /// <see cref="WorkflowIdempotencyConflictException"/> when the idempotency key started an instance with another input;
    /// nothing is stored then.
    /// </summary>
    Task<string> StartAsync(string definitionId, JsonObject? input = null, StartOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Cancels an instance (running activities see their token cancelled; locks are released). False when already ended.</summary>
    Task<bool> CancelAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Resumes a Faulted instance from the failed activity (with a fresh retry budget).</summary>
    Task RetryAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes Finished and Cancelled instances that ended before <paramref name="endedBefore"/>,
    /// with their journal, incidents and progress (retention), and the domain events dispatched before then. Faulted ones are kept for retry.
    /// Returns the number of instances deleted.
    /// </summary>
    Task<int> PurgeAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until the instance ends (Finished, Faulted, Cancelled) or, when
    /// <paramref name="untilIdle"/>, also until it is Suspended or Waiting. Returns its state.
    /// </summary>
    Task<WorkflowInstanceInfo> WaitAsync(string instanceId, bool untilIdle = false, CancellationToken cancellationToken = default);
}
