using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Activities.Flow;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Events;
using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Engine.Persistence.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Engine.Runtime.Execution;

// What happens when an item ends, and how the run ends.
internal sealed partial class InstanceRunner
{
    /// <summary>Applies an item's end to the state and commits it with the start of the items it schedules.</summary>
    private async Task<List<RunningItem>> OnItemEndedAsync(ItemResult ended)
    {
        var running = ended.Running;
        var item = running.Item;
        var journal = running.Journal;
        var now = Services.NowMs;
        if (ended.Cancelled)
        {
            if (_stopRequested) return []; // leave it Running: the next owner re-runs it (IsResume)
            journal.Status = (int)ExecutionStatus.Cancelled;
            journal.EndedAt = now;
            item.State = WorkItemState.Pending; // a retry after a fault restarts it
            await CommitAsync();
            return [];
        }

        var scheduled = new List<WorkItem>();
        if (ended.Error is { } retried && RetryDurably(running, retried, now)) { }
        else if (ended.Error is { } error)
        {
            var handled = _plan.HasConnection(item.ActivityId, "Failed");
            _db.Incidents.Add(new IncidentRecord
            {
                InstanceId = _record.Id, ActivityId = item.ActivityId, ActivityType = running.Activity.TypeLabel,
                Attempts = item.Failures > 0 ? item.Failures : journal.Attempt, ExceptionType = error.GetType().FullName ?? error.GetType().Name,
                Message = FaultText.Of(error), Handled = handled, CreatedAt = now,
            });
            if (journal.Status == (int)ExecutionStatus.Running)
            {
                journal.Status = (int)ExecutionStatus.Faulted;
                journal.Error = Describe(error);
                journal.EndedAt = now;
            }
            if (handled)
            {
                journal.Outcome = "Failed";
                _state.Items.Remove(item);
                Follow(item.ActivityId, ["Failed"], scheduled);
            }
            else
            {
                item.State = WorkItemState.Faulted;
                _record.Status = (int)WorkflowStatus.Faulted;
                _record.Fault = $"{item.ActivityId}: {Describe(error)}";
                _record.FaultedActivityId = item.ActivityId;
                Halt();
            }
        }
        else
        {
            var result = ended.Result!;
            journal.EndedAt = now;
            journal.Outputs = ended.Outputs is { Count: > 0 } o ? o.ToJsonString(DefinitionJson.Options) : null;
            journal.Lines = TakeLines(running);
            lock (_stateLock)
            {
                if (ended.Outputs is { Count: > 0 }) _state.Outputs[item.ActivityId] = ended.Outputs;
                lock (running.VariableWrites)
                    foreach (var (name, value) in running.VariableWrites) _state.Variables[name] = value?.DeepClone();
                if (running.ActivityState.Count > 0) _state.ActivityState[item.ActivityId] = running.ActivityState;
                else _state.ActivityState.Remove(item.ActivityId);
            }
            if (result.ResumeAt is { } resumeAt)
            {
                journal.Status = (int)ExecutionStatus.Suspended;
                item.State = WorkItemState.Suspended;
                item.ResumeAt = EngineDatabase.Ms(resumeAt);
            }
            else
            {
                journal.Status = (int)ExecutionStatus.Completed;
                journal.Outcome = result.FinishesWorkflow ? "Finish" : string.Join(",", result.OutcomeNames);
                _state.Items.Remove(item);
                if (result.FinishesWorkflow)
                {
                    _record.Output = ended.Outputs?["result"]?.ToJsonString(DefinitionJson.Options);
                    _finished = true;
                    Halt();
                }
                else Follow(item.ActivityId, result.OutcomeNames, scheduled);
            }
        }

        // After a fault, finish, cancel or stop nothing new starts; scheduled items stay Pending in the state.
        var started = _halted || _cancelRequested || _stopRequested ? [] : scheduled.Select(w => PrepareStart(w, false, null)).ToList();
        // A fault is committed here, before the run ends: its events must be in this commit (nothing resumes a Faulted instance).
        var raised = _record.Status == (int)WorkflowStatus.Faulted ? await RaiseEventsAsync(WorkflowStatus.Faulted, now) : 0;
        await CommitAsync();
        if (raised > 0) Services.Services.GetService<EventDispatcher>()?.Wake();
        _db.Entry(journal).State = EntityState.Detached; // ended rows are never written again by this run
        // A suspension (a durable timer, or a durable retry's wait) says when it continues: watchers need not ask the instance.
        if (item.State == WorkItemState.Suspended && item.ResumeAt is { } until)
            Publish(WorkflowEventKind.ActivitySuspended, running, message: ended.Error is null ? null : journal.Error,
                resumeAt: EngineDatabase.Time(until));
        else Publish(ended.Error is null ? WorkflowEventKind.ActivityCompleted : WorkflowEventKind.ActivityFaulted, running,
            outcomes: journal.Outcome?.Split(','), message: journal.Error);
        return started;
    }

    /// <summary>
    /// A failure of an activity that asked for a durable retry and has attempts left: the failed
    /// attempt stays in the journal, and the item is suspended until the retry is due (a durable
    /// timer, like Delay), so the wait survives restarts and holds no lock slot.
    /// </summary>
    private bool RetryDurably(RunningItem running, Exception error, long now)
    {
        if (running.DurableRetry is not { } retry || error is NonRetryableActivityException || _cancelRequested || _halted) return false;
        var item = running.Item;
        if (item.Failures + 1 >= retry.MaxAttempts) { item.Failures++; return false; }
        item.Failures++;
        var journal = running.Journal;
        if (journal.Status == (int)ExecutionStatus.Running)
        {
            journal.Status = (int)ExecutionStatus.Faulted;
            journal.Error = Describe(error);
            journal.EndedAt = now;
        }
        var interval = retry.Interval < TimeSpan.Zero ? TimeSpan.Zero : retry.Interval > TimeSpan.FromDays(3650) ? TimeSpan.FromDays(3650) : retry.Interval;
        item.State = WorkItemState.Suspended;
        item.ResumeAt = now + (long)interval.TotalMilliseconds;
        return true;
    }

    /// <summary>Follows the connections of the outcomes; a Join runs only once its mode is satisfied.</summary>
    private void Follow(string source, IReadOnlyList<string> outcomes, List<WorkItem> scheduled)
    {
        foreach (var outcome in outcomes)
        {
            if (!_plan.Next.TryGetValue((source, outcome), out var targets)) continue;
            foreach (var target in targets)
            {
                if (_plan.JoinSources.TryGetValue(target, out var sources))
                {
                    var arrived = _state.JoinArrivals.TryGetValue(target, out var list) ? list : _state.JoinArrivals[target] = [];
                    var first = arrived.Count == 0;
                    if (!arrived.Contains(source)) arrived.Add(source);
                    var complete = sources.All(arrived.Contains);
                    if (complete) _state.JoinArrivals.Remove(target);
                    var mode = _plan.Activities[target].JoinMode;
                    if (mode == JoinMode.WaitAny ? first : complete) scheduled.Add(_state.Schedule(target));
                }
                else scheduled.Add(_state.Schedule(target));
            }
        }
    }

    /// <summary>Stops the other branches (fault or finish); they end Cancelled.</summary>
    private void Halt()
    {
        _halted = true;
        if (_running.Count > 0) _itemsCts.Cancel();
    }

    /// <summary>Decides the instance's status once nothing runs, commits it and gives the instance up.</summary>
    private async Task FinalizeAsync()
    {
        if (_stopRequested)
        {
            await ReleaseOwnershipAsync();
            return;
        }
        var now = Services.NowMs;
        WorkflowStatus status;
        if (_cancelRequested) status = WorkflowStatus.Cancelled;
        else if (_record.Status == (int)WorkflowStatus.Faulted) status = WorkflowStatus.Faulted;
        else if (_finished || _state.Items.Count == 0) status = WorkflowStatus.Finished;
        else status = WorkflowStatus.Suspended;

        _record.Status = (int)status;
        _record.WaitingFor = null;
        _record.OwnerNode = null;
        _record.LeaseExpiresAt = 0;
        if (status == WorkflowStatus.Suspended)
            _record.ResumeAt = _state.Items.Where(i => i.State == WorkItemState.Suspended).Min(i => i.ResumeAt);
        else
        {
            _record.EndedAt = now;
            _record.ResumeAt = null;
            if (status == WorkflowStatus.Finished) _state.Items.Clear();
            // Released before the commit: a crash in between resumes the instance, which takes them again.
            if (_state.HoldsLocks) await Services.Locks.ReleaseAllAsync(_record.Id);
            _state.LocksAcquired = _state.HoldsLocks = false;
        }
        if (status == WorkflowStatus.Cancelled)
            await _db.Journal.Where(j => j.InstanceId == _record.Id && j.Status == (int)ExecutionStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, (int)ExecutionStatus.Cancelled).SetProperty(j => j.EndedAt, now));
        var raised = status == WorkflowStatus.Suspended ? 0 : await RaiseEventsAsync(status, now);
        await CommitAsync();
        if (raised > 0) Services.Services.GetService<EventDispatcher>()?.Wake();
        PublishStatus(status);
    }

    private bool _eventsRaised;

    /// <summary>
    /// The domain events the instance's end raises (<see cref="IDomainEventSource"/>), added to the outbox in the
    /// commit of the end itself: the end and its events are committed together or not at all. Once per run
    /// (a retried instance that ends again raises its events again).
    /// </summary>
    private async Task<int> RaiseEventsAsync(WorkflowStatus status, long now)
    {
        if (_eventsRaised) return 0;
        var sources = Services.Services.GetServices<IDomainEventSource>().ToList();
        if (sources.Count == 0) return 0;
        JsonObject outputs;
        lock (_stateLock) outputs = (JsonObject)_state.Outputs.DeepClone();
        var ended = new EndedInstance(_record.Id, _record.DefinitionId, _record.DefinitionVersion, status, (JsonObject)_input.DeepClone(),
            _record.Output is null ? null : JsonNode.Parse(_record.Output), _record.Fault, outputs);
        var events = new List<DomainEvent>();
        foreach (var source in sources) events.AddRange(await source.EventsOfAsync(ended, CancellationToken.None));
        EventDispatcher.Add(_db, events, _record.Id, now);
        _eventsRaised = true;
        return events.Count;
    }

    /// <summary>Gives the lease up without changing state (shutdown): any node may resume at once.</summary>
    private async Task ReleaseOwnershipAsync()
    {
        try
        {
            await using var db = await Services.Database.CreateAsync();
            var node = Services.Options.NodeId;
            await db.Instances.Where(i => i.Id == _record.Id && i.OwnerNode == node)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.OwnerNode, (string?)null).SetProperty(i => i.LeaseExpiresAt, 0L));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The lease expires by itself; nothing else to do.
        }
    }
}
