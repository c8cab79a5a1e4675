using System.Text.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Definitions;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Engine.Activities;

/// <summary>
/// Everything one execution attempt of an activity may use: identity, attempt number,
/// cancellation, services, clock, progress, variables, locks and the journal.
/// </summary>
public sealed class ActivityContext
{
    private readonly IActivityExecutionHost _host;

    internal ActivityContext(IActivityExecutionHost host, ActivityAttemptInfo attempt, CancellationToken cancellationToken)
    {
        _host = host;
        InstanceId = attempt.InstanceId;
        DefinitionId = attempt.DefinitionId;
        DefinitionVersion = attempt.DefinitionVersion;
        ActivityId = attempt.ActivityId;
        ExecutionKey = $"{attempt.InstanceId}/{attempt.WorkItemId}";
        Attempt = attempt.Attempt;
        IsResume = attempt.IsResume;
        SuspendedUntil = attempt.SuspendedUntil;
        CorrelationId = attempt.CorrelationId;
        CancellationToken = cancellationToken;
        Services = attempt.Services;
        TimeProvider = attempt.TimeProvider;
        Logger = attempt.Logger;
        WorkflowInput = attempt.WorkflowInput;
        State = attempt.State;
    }

    /// <summary>Id of the workflow instance.</summary>
    public string InstanceId { get; }

    /// <summary>Id of the workflow definition.</summary>
    public string DefinitionId { get; }

    /// <summary>Version of the definition the instance is pinned to.</summary>
    public int DefinitionVersion { get; }

    /// <summary>Id of this activity within the definition.</summary>
    public string ActivityId { get; }

    /// <summary>
    /// Names this execution of the activity: the same across its retries, resumes and wake-ups, different
    /// each time the flow reaches the activity again (a loop). For idempotency keys of work it starts.
    /// </summary>
    public string ExecutionKey { get; }

    /// <summary>1-based attempt number; counts retries and resumes after a crash.</summary>
    public int Attempt { get; }

    /// <summary>True when the previous attempt was interrupted (process died mid-activity).</summary>
    public bool IsResume { get; }

    /// <summary>Set when this execution is the wake-up of an earlier <see cref="ActivityResult.SuspendUntil"/>.</summary>
    public DateTimeOffset? SuspendedUntil { get; }

    /// <summary>Correlation id given at start (e.g. a job id), if any.</summary>
    public string? CorrelationId { get; }

    /// <summary>Cancelled when the instance is cancelled, the attempt times out or the node shuts down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The execution's service scope.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The engine's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Logger scoped to the activity type.</summary>
    public ILogger Logger { get; }

    /// <summary>The input the instance was started with (read-only by convention).</summary>
    public JsonObject WorkflowInput { get; }

    /// <summary>
    /// Private state of this activity in this instance, persisted when the execution completes
    /// (e.g. the ForEach index). Not persisted when the attempt fails.
    /// </summary>
    public JsonObject State { get; }

    /// <summary>
    /// Reports progress; the latest value is readable at once in-process and persisted at a
    /// bounded rate (and when the activity ends).
    /// </summary>
    public void ReportProgress(long done, long total, string? message = null) =>
        _host.ReportProgress(ActivityId, done, total, message);

    /// <summary>Reads a workflow variable converted to <typeparamref name="T"/>; default when unset.</summary>
    public T? GetVariable<T>(string name)
    {
        var node = _host.GetVariable(name);
        return node is null ? default : node.Deserialize<T>(DefinitionJson.Options);
    }

    /// <summary>Sets a workflow variable; committed with the activity's completion.</summary>
    public void SetVariable<T>(string name, T value) =>
        _host.SetVariable(name, JsonSerializer.SerializeToNode(value, DefinitionJson.Options));

    /// <summary>
    /// Takes a durable named lock (<paramref name="limit"/> 1) or a slot of a counting semaphore.
    /// Waits, in request order, while the lock is full; the instance shows status Waiting meanwhile.
    /// The lock is held until the instance ends (finish, fault, cancel), or until the returned
    /// handle is disposed. Taking a lock the instance already holds returns at once.
    /// </summary>
    public ValueTask<IAsyncDisposable> AcquireLockAsync(string name, int limit = 1) =>
        _host.AcquireLockAsync(name, limit, CancellationToken);

    /// <summary>
    /// Like <see cref="AcquireLockAsync(string, int)"/>, for a counting semaphore whose limit may change
    /// while claims wait (a setting): <paramref name="limit"/> is read again at every poll; 0 lets nobody
    /// in until it is raised. Slots already granted are kept.
    /// </summary>
    public ValueTask<IAsyncDisposable> AcquireLockAsync(string name, Func<CancellationToken, ValueTask<int>> limit) =>
        _host.AcquireLockAsync(name, limit, CancellationToken);

    /// <summary>
    /// Durable retry, for failures worth retrying much later (a full repository, a busy host): if this
    /// execution fails, the engine records the failed attempt and suspends the activity until
    /// now + <paramref name="interval"/> (a durable timer: it survives restarts, and the instance shows
    /// Suspended with its ResumeAt), then runs it again; after <paramref name="maxAttempts"/> failed
    /// attempts (counted across restarts and suspensions) the failure is an incident as usual.
    /// Called by the activity at each execution, so values read from settings apply to the next retry.
    /// Errors that are never retried (<see cref="NonRetryableActivityException"/>) end it at once.
    /// </summary>
    public void RetryDurably(int maxAttempts, TimeSpan interval) => _host.RetryDurably(maxAttempts, interval);

    /// <summary>Adds a line to this execution's journal entry.</summary>
    public void Journal(string message) => _host.AddJournalLine(ActivityId, message);
}

/// <summary>The runner's side of an <see cref="ActivityContext"/>.</summary>
internal interface IActivityExecutionHost
{
    void ReportProgress(string activityId, long done, long total, string? message);
    JsonNode? GetVariable(string name);
    void SetVariable(string name, JsonNode? value);
    ValueTask<IAsyncDisposable> AcquireLockAsync(string name, int limit, CancellationToken cancellationToken);
    ValueTask<IAsyncDisposable> AcquireLockAsync(string name, Func<CancellationToken, ValueTask<int>> limit, CancellationToken cancellationToken);
    void RetryDurably(int maxAttempts, TimeSpan interval);
    void AddJournalLine(string activityId, string message);
}

/// <summary>Identity of one attempt, handed to the context.</summary>
internal sealed record ActivityAttemptInfo(
    string InstanceId, string DefinitionId, int DefinitionVersion, string ActivityId, int WorkItemId,
    int Attempt, bool IsResume, DateTimeOffset? SuspendedUntil, string? CorrelationId,
    IServiceProvider Services, TimeProvider TimeProvider, ILogger Logger,
    JsonObject WorkflowInput, JsonObject State);
