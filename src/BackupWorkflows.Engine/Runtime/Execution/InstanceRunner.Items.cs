using System.Text.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Bindings;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Persistence.Records;
using Microsoft.Extensions.DependencyInjection;
using Polly.Timeout;

namespace BackupWorkflows.Engine.Runtime.Execution;

// Starting and executing work items.
internal sealed partial class InstanceRunner
{
    /// <summary>
    /// Marks an item started and adds its journal row (committed by the caller's next commit,
    /// before the activity runs). Inputs are evaluated here, on the loop, where state is stable.
    /// </summary>
    private RunningItem PrepareStart(WorkItem item, bool isResume, DateTimeOffset? suspendedUntil)
    {
        var planned = _plan.Activities[item.ActivityId];
        item.State = WorkItemState.Running;
        item.Attempt++;
        var running = new RunningItem(item, planned) { IsResume = isResume, SuspendedUntil = suspendedUntil };
        lock (_stateLock)
            if (_state.ActivityState.TryGetValue(item.ActivityId, out var saved)) running.ActivityState = (JsonObject)saved.DeepClone();
        try { running.Inputs = EvaluateInputs(planned); }
        catch (Exception e) { running.InputError = new NonRetryableActivityException($"Inputs could not be evaluated: {e.Message}", e); }
        running.Journal = NewJournal(running);
        return running;
    }

    private JournalRecord NewJournal(RunningItem running)
    {
        var journal = new JournalRecord
        {
            InstanceId = _record.Id,
            ActivityId = running.Item.ActivityId,
            ActivityType = running.Activity.TypeLabel,
            Attempt = running.Item.Attempt,
            IsResume = running.IsResume && running.Journal is null,
            Status = (int)ExecutionStatus.Running,
            StartedAt = Services.NowMs,
            Inputs = running.Inputs is null ? null : ActivityInvoker.Mask(running.Inputs, running.Activity).ToJsonString(DefinitionJson.Options),
            Node = Services.Options.NodeId,
        };
        _db.Journal.Add(journal);
        return journal;
    }

    private JsonObject EvaluateInputs(PlannedActivity planned)
    {
        var result = new JsonObject();
        lock (_stateLock)
        {
            var scope = new BindingScope(_input, _state.Variables, _state.Outputs, _instanceInfo);
            foreach (var (name, value) in planned.Node.Inputs)
            {
                var input = planned.Inputs.FirstOrDefault(i => string.Equals(i.Input.Name, name, StringComparison.OrdinalIgnoreCase)).Input;
                if (input is not null) result[input.Name] = BindingTemplate.Evaluate(value, scope);
            }
        }
        return result;
    }

    private void Launch(List<RunningItem> items)
    {
        foreach (var item in items)
        {
            _running[item.Item.Id] = item;
            Publish(WorkflowEventKind.ActivityStarted, item);
            item.Task = ExecuteItemAsync(item);
        }
    }

    private async Task<ItemResult> ExecuteItemAsync(RunningItem running)
    {
        if (running.InputError is { } inputError) return new ItemResult(running) { Error = inputError };
        var token = _itemsCts.Token;
        var planned = running.Activity;
        var logger = Services.LoggerFactory.CreateLogger(planned.Descriptor.ClrType.FullName ?? planned.Descriptor.Type);
        var host = new ItemHost(this, running);
        var attemptInRun = 0;
        try
        {
            await using var scope = Services.Services.CreateAsyncScope();
            var pipeline = ActivityInvoker.BuildPipeline(planned.Retry, planned.Timeout, Services.Time, token);
            var (result, outputs) = await pipeline.ExecuteAsync(async ct =>
            {
                if (++attemptInRun > 1) await BeginRetryAttemptAsync(running);
                var activity = (Activity)planned.Factory(scope.ServiceProvider, null);
                var attemptStarted = Services.Time.GetTimestamp();
                var outcome = "cancelled";
                try
                {
                    ActivityInvoker.AssignInputs(activity, planned, running.Inputs!);
                    var state = (JsonObject)running.ActivityState.DeepClone();
                    var context = new ActivityContext(host, new ActivityAttemptInfo(
                        _record.Id, _record.DefinitionId, _record.DefinitionVersion, running.Item.ActivityId, running.Item.Id,
                        running.Item.Attempt, running.IsResume && attemptInRun == 1, running.SuspendedUntil, _record.CorrelationId,
                        scope.ServiceProvider, Services.Time, logger, _input, state), ct);
                    var result = await activity.ExecuteAsync(context);
                    outcome = "done";
                    running.ActivityState = state;
                    return (result, ActivityInvoker.ReadOutputs(activity, planned));
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    // The attempt's own token fired without the instance's: Polly's timeout expired.
                    var error = e is OperationCanceledException && ct.IsCancellationRequested
                        ? new TimeoutRejectedException($"The attempt timed out after {planned.Timeout?.TotalSeconds} s.", e) : e;
                    outcome = "faulted";
                    await RecordAttemptFailureAsync(running, error);
                    throw;
                }
                finally
                {
                    Services.Metrics.ActivityAttemptEnded(planned.Descriptor.Type, outcome, Services.Time.GetElapsedTime(attemptStarted));
                    if (activity is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
                    else (activity as IDisposable)?.Dispose();
                }
            }, token);
            return new ItemResult(running) { Result = result, Outputs = outputs };
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            return new ItemResult(running) { Cancelled = true };
        }
        catch (Exception e)
        {
            return new ItemResult(running) { Error = e };
        }
    }

    /// <summary>A retry: the failed attempt's row is closed; a new row is committed before the attempt runs.</summary>
    private async Task BeginRetryAttemptAsync(RunningItem running)
    {
        await _gate.WaitAsync();
        try
        {
            running.Item.Attempt++;
            running.Journal = NewJournal(running);
            await CommitAsync();
        }
        finally { _gate.Release(); }
        Publish(WorkflowEventKind.ActivityStarted, running);
    }

    private async Task RecordAttemptFailureAsync(RunningItem running, Exception e)
    {
        await _gate.WaitAsync();
        try
        {
            var journal = running.Journal;
            journal.Status = (int)ExecutionStatus.Faulted;
            journal.Error = Describe(e);
            journal.EndedAt = Services.NowMs;
            journal.Lines = TakeLines(running);
            await _db.SaveChangesAsync();
        }
        finally { _gate.Release(); }
        Publish(WorkflowEventKind.ActivityFaulted, running, message: Describe(e));
    }

    private static string? TakeLines(RunningItem running)
    {
        lock (running.Lines)
        {
            if (running.Lines.Count == 0) return null;
            var json = JsonSerializer.Serialize(running.Lines);
            running.Lines.Clear();
            return json;
        }
    }

    /// <summary>An activity's error as users read it in journals, faults and events: its message, never a .NET type name.</summary>
    private static string Describe(Exception e) => FaultText.Of(e);

    private void Publish(WorkflowEventKind kind, RunningItem running, IReadOnlyList<string>? outcomes = null, string? message = null,
        DateTimeOffset? resumeAt = null) =>
        Services.Events.Publish(new WorkflowEvent
        {
            Kind = kind, InstanceId = _record.Id, DefinitionId = _record.DefinitionId, Timestamp = Services.Time.GetUtcNow(),
            ActivityId = running.Item.ActivityId, Attempt = running.Item.Attempt, Outcomes = outcomes, Message = message, ResumeAt = resumeAt,
        });
}
