using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Bindings;
using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Engine.Persistence.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Engine.Runtime.Execution;

/// <summary>
/// Executes one instance on this node while it holds the instance's lease. Work items run as
/// tasks (parallel branches run concurrently); the loop handles their ends one at a time and
/// commits each in one short transaction that also records the start of the items it schedules,
/// so the database always shows which activities completed and which were running.
/// </summary>
/// <remarks>
/// The runner keeps its EF context and the tracked instance row for the whole run: a commit
/// writes only the changed columns and new journal rows, never re-reading the instance.
/// <see cref="InstanceRecord.OwnerNode"/> is a concurrency token, so a commit after another node
/// took the instance over fails instead of overwriting its progress.
/// </remarks>
internal sealed partial class InstanceRunner : IAsyncDisposable
{
    private readonly EngineDbContext _db;
    private readonly InstanceRecord _record;
    private readonly ExecutionPlan _plan;
    private readonly InstanceState _state;
    private readonly JsonObject _input;
    private readonly JsonObject _instanceInfo;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _stateLock = new();
    private readonly Dictionary<int, RunningItem> _running = [];
    private readonly CancellationTokenSource _itemsCts = new();
    private volatile bool _cancelRequested;
    private volatile bool _stopRequested;
    private bool _halted;
    private bool _finished;

    public InstanceRunner(EngineServices services, EngineDbContext db, InstanceRecord record, ExecutionPlan plan)
    {
        Services = services;
        _db = db;
        _record = record;
        _plan = plan;
        _state = InstanceState.Deserialize(record.State);
        _input = JsonNode.Parse(record.Input) as JsonObject ?? [];
        _instanceInfo = new JsonObject
        {
            ["id"] = record.Id, ["definitionId"] = record.DefinitionId,
            ["definitionVersion"] = record.DefinitionVersion, ["correlationId"] = record.CorrelationId,
        };
        _logger = services.LoggerFactory.CreateLogger<InstanceRunner>();
        _cancelRequested = record.CancelRequested;
        Progress = new ProgressTracker(services, record.Id, record.DefinitionId);
    }

    public EngineServices Services { get; }
    public string InstanceId => _record.Id;
    public ProgressTracker Progress { get; }

    /// <summary>User cancellation: running activities see their token cancelled; the instance ends Cancelled.</summary>
    public void RequestCancel()
    {
        _cancelRequested = true;
        CancelItems();
    }

    /// <summary>Node shutdown or lost lease: stop without committing; the instance is resumed later.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        CancelItems();
    }

    private void CancelItems()
    {
        try { _itemsCts.Cancel(); }
        catch (ObjectDisposedException) { /* the run is over */ }
    }

    /// <summary>
    /// Fast start of a new instance without declared locks: marks the entry activities started so
    /// that the instance row and their journal rows are inserted by one commit (the caller's).
    /// </summary>
    public void PrestartEntries()
    {
        _prestarted = _state.Items.Select(i => PrepareStart(i, false, null)).ToList();
        lock (_stateLock) _record.State = _state.Serialize();
    }

    private List<RunningItem>? _prestarted;

    public async Task RunAsync()
    {
        try
        {
            // SQLite: keep one connection for the run, so commits do not reopen it and re-run the
            // per-connection pragmas. (PostgreSQL connections go back to the pool between commits.)
            if (!Services.Database.IsPostgres) await _db.Database.OpenConnectionAsync();
            if (_prestarted is { } prestarted && !_cancelRequested)
            {
                PublishStatus(WorkflowStatus.Running);
                Launch(prestarted);
                await LoopAsync();
            }
            else if (!_cancelRequested && await PrepareAsync()) await LoopAsync();
            await FinalizeAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            _logger.LogWarning("Instance {Instance}: another node took it over; stopping here.", _record.Id);
            RequestStop();
            await DrainAsync();
        }
        catch (Exception e) when (_stopRequested || e is OperationCanceledException)
        {
            await DrainAsync();
            if (_cancelRequested && !_stopRequested) await FinalizeAsync();
            else await ReleaseOwnershipAsync();
        }
        catch
        {
            // An engine error (e.g. the database failed a commit): stop the other branches before the context goes away.
            RequestStop();
            await DrainAsync();
            throw;
        }
    }

    /// <summary>Marks interrupted attempts, takes declared locks and starts the startable items.</summary>
    private async Task<bool> PrepareAsync()
    {
        var now = Services.NowMs;
        var toStart = new List<(WorkItem, bool IsResume, DateTimeOffset? SuspendedUntil)>();
        foreach (var item in _state.Items)
        {
            switch (item.State)
            {
                case WorkItemState.Running: toStart.Add((item, true, null)); break;
                case WorkItemState.Pending: toStart.Add((item, false, null)); break;
                case WorkItemState.Faulted: toStart.Add((item, false, null)); break;
                case WorkItemState.Suspended when item.ResumeAt <= now:
                    toStart.Add((item, false, EngineDatabase.Time(item.ResumeAt!.Value))); break;
            }
        }
        // Attempts that were running when the previous owner died.
        if (toStart.Any(s => s.IsResume))
            await _db.Journal.Where(j => j.InstanceId == _record.Id && j.Status == (int)ExecutionStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, (int)ExecutionStatus.Interrupted).SetProperty(j => j.EndedAt, now));

        if (!_state.LocksAcquired && _plan.Definition.Locks.Count > 0) await AcquireDeclaredLocksAsync();

        _record.Status = (int)WorkflowStatus.Running;
        _record.WaitingFor = null;
        _record.ResumeAt = null;
        _record.Fault = null;
        _record.FaultedActivityId = null;
        var started = toStart.Select(s => PrepareStart(s.Item1, s.IsResume, s.SuspendedUntil)).ToList();
        await CommitAsync();
        PublishStatus(WorkflowStatus.Running);
        Launch(started);
        return true;
    }

    private async Task AcquireDeclaredLocksAsync()
    {
        var scope = new BindingScope(_input, [], [], _instanceInfo);
        var locks = _plan.Definition.Locks
            .Select(l => (Name: BindingTemplate.Evaluate(JsonValue.Create(l.Name), scope)?.ToString() ?? l.Name, l.Limit))
            .OrderBy(l => l.Name, StringComparer.Ordinal); // one global order avoids deadlocks between instances
        foreach (var (name, limit) in locks) await AcquireLockAsync(name, limit, _itemsCts.Token);
        _state.LocksAcquired = true;
    }

    /// <summary>Takes a lock for the instance, showing status Waiting while it waits.</summary>
    public Task<long> AcquireLockAsync(string name, int limit, CancellationToken cancellationToken) =>
        limit < 1 ? throw new ArgumentOutOfRangeException(nameof(limit), "A lock's limit must be at least 1.")
            : AcquireLockAsync(name, _ => ValueTask.FromResult(limit), cancellationToken);

    /// <summary>Takes a lock whose limit is read again while waiting (a setting that may change).</summary>
    public async Task<long> AcquireLockAsync(string name, Func<CancellationToken, ValueTask<int>> limit, CancellationToken cancellationToken)
    {
        if (!_state.HoldsLocks)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                _state.HoldsLocks = true;
                await CommitAsync();
            }
            finally { _gate.Release(); }
        }
        var waited = false;
        var claim = await Services.Locks.AcquireAsync(_record.Id, name, limit, async () =>
        {
            waited = true;
            await SetStatusAsync(WorkflowStatus.Waiting, name);
        }, cancellationToken);
        if (waited) await SetStatusAsync(WorkflowStatus.Running, null);
        return claim;
    }

    private async Task SetStatusAsync(WorkflowStatus status, string? waitingFor)
    {
        await _gate.WaitAsync();
        try
        {
            _record.Status = (int)status;
            _record.WaitingFor = waitingFor;
            await CommitAsync();
        }
        finally { _gate.Release(); }
        PublishStatus(status);
    }

    private async Task LoopAsync()
    {
        while (_running.Count > 0)
        {
            var ended = _running.Count == 1 ? await _running.Values.First().Task : await await Task.WhenAny(_running.Values.Select(r => r.Task));
            _running.Remove(ended.Running.Item.Id);
            if (ended.Running.Journal is { } journal) await Progress.FlushAsync(journal.ActivityId);
            List<RunningItem> next;
            await _gate.WaitAsync();
            try { next = await OnItemEndedAsync(ended); }
            finally { _gate.Release(); }
            Launch(next);
        }
    }

    /// <summary>Waits for running items after a stop or cancel, without committing their results.</summary>
    private async Task DrainAsync()
    {
        try { await Task.WhenAll(_running.Values.Select(r => r.Task)); }
        catch { /* items report through their results */ }
        _running.Clear();
    }

    public JsonNode? ReadVariable(string name)
    {
        lock (_stateLock) return _state.Variables.TryGetPropertyValue(name, out var v) ? v?.DeepClone() : null;
    }

    private async Task CommitAsync()
    {
        lock (_stateLock) _record.State = _state.Serialize();
        _record.UpdatedAt = Services.NowMs;
        await _db.SaveChangesAsync();
    }

    private void PublishStatus(WorkflowStatus status) => Services.Events.Publish(new WorkflowEvent
    {
        Kind = WorkflowEventKind.InstanceStatusChanged, InstanceId = _record.Id, DefinitionId = _record.DefinitionId,
        Timestamp = Services.Time.GetUtcNow(), Status = status, Message = _record.Fault,
    });

    public async ValueTask DisposeAsync()
    {
        _itemsCts.Dispose();
        _gate.Dispose();
        await _db.DisposeAsync();
    }
}
