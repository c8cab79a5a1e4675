using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Engine.Persistence.Records;
using BackupWorkflows.Engine.Runtime.Execution;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Engine.Runtime;

/// <summary>Starts instances on this node and changes their lifecycle (cancel, retry).</summary>
internal sealed class WorkflowRuntime(EngineServices services, InstanceExecutor executor, IWorkflowInstanceQueries queries) : IWorkflowRuntime
{
    public async Task<string> StartAsync(string definitionId, JsonObject? input = null, StartOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new StartOptions();
        await using var db = await services.Database.CreateAsync(cancellationToken);
        var published = options.DefinitionVersion is { } fixedVersion
            ? await db.Definitions.Where(d => d.Id == definitionId && d.Version == fixedVersion && d.PublishedAt != null)
                .Select(d => (int?)d.Version).FirstOrDefaultAsync(cancellationToken)
            : await db.Definitions.Where(d => d.Id == definitionId && d.IsPublished).Select(d => (int?)d.Version).FirstOrDefaultAsync(cancellationToken);
        if (published is null)
        {
            if (options.DefinitionVersion is { } v && !await db.Definitions.AnyAsync(d => d.Id == definitionId && d.Version == v, cancellationToken))
                throw new WorkflowDefinitionNotFoundException(definitionId, v);
            if (await db.Definitions.AnyAsync(d => d.Id == definitionId, cancellationToken)) throw new WorkflowNotPublishedException(definitionId);
            throw new WorkflowDefinitionNotFoundException(definitionId);
        }
        if (options.IdempotencyKey is { } key && await ReplayAsync(db, definitionId, key, input, cancellationToken) is { } existing)
            return existing;

        var plan = await services.Plans.GetAsync(definitionId, published.Value);
        var completeInput = StartInput.Complete(plan.Definition, input);
        var state = new InstanceState();
        foreach (var variable in plan.Definition.Variables) state.Variables[variable.Name] = variable.Default?.DeepClone();
        if (options.Trigger is { } trigger)
        {
            if (!plan.Entries.Contains(trigger.ActivityId) || plan.Activities[trigger.ActivityId].Descriptor.Type != trigger.Type)
                throw new WorkflowEngineException($"Workflow '{definitionId}' v{published} has no {trigger.Type} activity '{trigger.ActivityId}'.");
            state.Schedule(trigger.ActivityId);
        }
        else foreach (var entry in plan.ManualEntries) state.Schedule(entry);

        var now = services.NowMs;
        var record = new InstanceRecord
        {
            Id = Guid.CreateVersion7().ToString("N"),
            DefinitionId = definitionId,
            DefinitionVersion = published.Value,
            Status = (int)WorkflowStatus.Running,
            CorrelationId = options.CorrelationId,
            IdempotencyKey = options.IdempotencyKey,
            Input = completeInput.ToJsonString(DefinitionJson.Options),
            State = state.Serialize(),
            OwnerNode = services.Options.NodeId,
            LeaseExpiresAt = now + (long)services.Options.LeaseDuration.TotalMilliseconds,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!executor.TryReserve(record.Id)) throw new WorkflowEngineException("The workflow engine is stopping; start the workflow again later.");
        InstanceRunner? runner = null;
        try
        {
            // Fast path: the instance row and the journal rows of its entry activities go in one commit.
            // With declared locks the runner takes them first, so it starts the entries itself.
            var origin = Origin(record.Id, options);
            if (plan.Definition.Locks.Count == 0 && executor.HasFreeSlot)
            {
                var runnerDb = await services.Database.CreateAsync(cancellationToken);
                runnerDb.Instances.Add(record);
                if (origin is not null) runnerDb.Origins.Add(origin);
                runner = new InstanceRunner(services, runnerDb, record, plan);
                runner.PrestartEntries();
                await runnerDb.SaveChangesAsync(cancellationToken);
            }
            else
            {
                db.Instances.Add(record);
                if (origin is not null) db.Origins.Add(origin);
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateException) when (options.IdempotencyKey is not null)
        {
            executor.Unreserve(record.Id);
            if (runner is not null) await runner.DisposeAsync();
            await using var again = await services.Database.CreateAsync(cancellationToken);
            return await ReplayAsync(again, definitionId, options.IdempotencyKey, input, cancellationToken)
                ?? throw new WorkflowEngineException($"Starting workflow '{definitionId}' failed; start it again.");
        }
        catch
        {
            executor.Unreserve(record.Id);
            if (runner is not null) await runner.DisposeAsync();
            throw;
        }
        executor.Launch(record.Id, runner);
        return record.Id;
    }

    private static OriginRecord? Origin(string instanceId, StartOptions options) =>
        options.Trigger is null && options.ParentInstanceId is null ? null : new OriginRecord
        {
            InstanceId = instanceId, ParentInstanceId = options.ParentInstanceId, TriggerActivityId = options.Trigger?.ActivityId,
            TriggerType = options.Trigger?.Type, TriggerPayload = options.Trigger?.Payload?.ToJsonString(DefinitionJson.Options),
        };

    /// <summary>
    /// The instance an earlier start with <paramref name="key"/> made, or null when there is none. The engine is the one
    /// store of idempotency keys: a replay must carry the same input (completed with the defaults of the version the
    /// first start used), else it is refused, so a key reused for another request never silently answers with the
    /// first request's instance.
    /// </summary>
    /// <exception cref="WorkflowIdempotencyConflictException">The key started an instance with another input.</exception>
    private async Task<string?> ReplayAsync(EngineDbContext db, string definitionId, string key, JsonObject? input, CancellationToken ct)
    {
        var first = await db.Instances.AsNoTracking().Where(i => i.DefinitionId == definitionId && i.IdempotencyKey == key)
            .Select(i => new { i.Id, i.DefinitionVersion, i.Input }).FirstOrDefaultAsync(ct);
        if (first is null) return null;
        JsonObject? replayed;
        try
        {
            var plan = await services.Plans.GetAsync(definitionId, first.DefinitionVersion);
            replayed = StartInput.Complete(plan.Definition, input);
        }
        catch (WorkflowInputException) { replayed = null; } // not even valid for the first start's version: another request
        if (replayed is null || !JsonNode.DeepEquals(JsonNode.Parse(first.Input), replayed))
            throw new WorkflowIdempotencyConflictException(definitionId, key, first.Id);
        return first.Id;
    }

    public async Task<bool> CancelAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var cancelled = await CancelOneAsync(instanceId, cancellationToken);
        if (cancelled) await CancelChildrenAsync(instanceId, cancellationToken);
        return cancelled;
    }

    /// <summary>Cancelling a parent cancels its unfinished children (started by <c>Flow.RunWorkflow</c>), and theirs.</summary>
    private async Task CancelChildrenAsync(string parentId, CancellationToken cancellationToken)
    {
        int[] ended = [(int)WorkflowStatus.Finished, (int)WorkflowStatus.Cancelled, (int)WorkflowStatus.Faulted];
        List<string> children;
        await using (var db = await services.Database.CreateAsync(cancellationToken))
            children = await db.Origins.Where(o => o.ParentInstanceId == parentId)
                .Join(db.Instances, o => o.InstanceId, i => i.Id, (o, i) => i)
                .Where(i => !ended.Contains(i.Status)).Select(i => i.Id).ToListAsync(cancellationToken);
        foreach (var child in children) await CancelAsync(child, cancellationToken);
    }

    private async Task<bool> CancelOneAsync(string instanceId, CancellationToken cancellationToken)
    {
        int[] ended = [(int)WorkflowStatus.Finished, (int)WorkflowStatus.Cancelled];
        await using var db = await services.Database.CreateAsync(cancellationToken);
        var flagged = await db.Instances.Where(i => i.Id == instanceId && !ended.Contains(i.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.CancelRequested, true), cancellationToken);
        if (flagged == 0)
        {
            if (!await db.Instances.AnyAsync(i => i.Id == instanceId, cancellationToken)) throw new WorkflowInstanceNotFoundException(instanceId);
            return false;
        }
        if (executor.Cancel(instanceId)) return true;

        // Not running here: end it directly when no live node owns it; otherwise its owner sees the flag at its next lease renewal.
        var now = services.NowMs;
        var node = services.Options.NodeId;
        if (!executor.TryReserve(instanceId)) return executor.Cancel(instanceId);
        try
        {
            var cancelled = await db.Instances
                .Where(i => i.Id == instanceId && !ended.Contains(i.Status) && (i.OwnerNode == null || i.OwnerNode == node || i.LeaseExpiresAt < now))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, (int)WorkflowStatus.Cancelled).SetProperty(i => i.EndedAt, now)
                    .SetProperty(i => i.UpdatedAt, now).SetProperty(i => i.OwnerNode, (string?)null).SetProperty(i => i.WaitingFor, (string?)null)
                    .SetProperty(i => i.ResumeAt, (long?)null), cancellationToken);
            if (cancelled == 1)
            {
                await db.Journal.Where(j => j.InstanceId == instanceId && j.Status == (int)ExecutionStatus.Running)
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, (int)ExecutionStatus.Cancelled).SetProperty(j => j.EndedAt, now), cancellationToken);
                await services.Locks.ReleaseAllAsync(instanceId);
                var definitionId = await db.Instances.Where(i => i.Id == instanceId).Select(i => i.DefinitionId).FirstAsync(cancellationToken);
                services.Events.Publish(new WorkflowEvent
                {
                    Kind = WorkflowEventKind.InstanceStatusChanged, InstanceId = instanceId, DefinitionId = definitionId,
                    Timestamp = services.Time.GetUtcNow(), Status = WorkflowStatus.Cancelled,
                });
            }
            return true;
        }
        finally { executor.Unreserve(instanceId); }
    }

    public async Task RetryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using (var check = await services.Database.CreateAsync(cancellationToken))
        {
            var current = await check.Instances.Where(i => i.Id == instanceId).Select(i => (int?)i.Status).FirstOrDefaultAsync(cancellationToken)
                ?? throw new WorkflowInstanceNotFoundException(instanceId);
            if (current != (int)WorkflowStatus.Faulted)
                throw new WorkflowInstanceStateException($"Instance '{instanceId}' is {(WorkflowStatus)current}; only a Faulted instance can be retried.");
        }
        // The runner that faulted the instance may still be releasing its locks: let it finish first.
        await executor.WhenStoppedAsync(instanceId, cancellationToken);
        if (!executor.TryReserve(instanceId))
            throw new WorkflowInstanceStateException($"Instance '{instanceId}' is running on this node; only a Faulted instance can be retried.");
        try
        {
            await using var db = await services.Database.CreateAsync(cancellationToken);
            var now = services.NowMs;
            var node = services.Options.NodeId;
            var claimed = await db.Instances.Where(i => i.Id == instanceId && i.Status == (int)WorkflowStatus.Faulted)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, (int)WorkflowStatus.Running).SetProperty(i => i.OwnerNode, node)
                    .SetProperty(i => i.LeaseExpiresAt, now + (long)services.Options.LeaseDuration.TotalMilliseconds)
                    .SetProperty(i => i.EndedAt, (long?)null).SetProperty(i => i.UpdatedAt, now), cancellationToken);
            if (claimed == 0)
            {
                var status = await db.Instances.Where(i => i.Id == instanceId).Select(i => (int?)i.Status).FirstOrDefaultAsync(cancellationToken)
                    ?? throw new WorkflowInstanceNotFoundException(instanceId);
                throw new WorkflowInstanceStateException($"Instance '{instanceId}' is {(WorkflowStatus)status}; only a Faulted instance can be retried.");
            }
        }
        catch
        {
            executor.Unreserve(instanceId);
            throw;
        }
        executor.Launch(instanceId);
    }

    public async Task<int> PurgeAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken = default)
    {
        var before = EngineDatabase.Ms(endedBefore);
        int[] purgeable = [(int)WorkflowStatus.Finished, (int)WorkflowStatus.Cancelled];
        await using var db = await services.Database.CreateAsync(cancellationToken);
        // Dispatched domain events older than that go too (the instances they started keep their origin).
        await db.Events.Where(e => e.DispatchedAt != null && e.DispatchedAt < before).ExecuteDeleteAsync(cancellationToken);
        // Oldest first: a purge capped at 10 000 takes the instances that ended longest ago (and the
        // order makes the cap deterministic, which EF Core asks of every Take).
        var ids = await db.Instances.Where(i => purgeable.Contains(i.Status) && i.EndedAt < before)
            .OrderBy(i => i.EndedAt).Select(i => i.Id).Take(10_000).ToListAsync(cancellationToken);
        if (ids.Count == 0) return 0;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Journal.Where(j => ids.Contains(j.InstanceId)).ExecuteDeleteAsync(cancellationToken);
        await db.Incidents.Where(j => ids.Contains(j.InstanceId)).ExecuteDeleteAsync(cancellationToken);
        await db.Progress.Where(j => ids.Contains(j.InstanceId)).ExecuteDeleteAsync(cancellationToken);
        await db.Origins.Where(o => ids.Contains(o.InstanceId)).ExecuteDeleteAsync(cancellationToken);
        var deleted = await db.Instances.Where(i => ids.Contains(i.Id) && purgeable.Contains(i.Status)).ExecuteDeleteAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return deleted;
    }

    public async Task<WorkflowInstanceInfo> WaitAsync(string instanceId, bool untilIdle = false, CancellationToken cancellationToken = default)
    {
        var signal = new SemaphoreSlim(0);
        using var subscription = services.Events.Subscribe(e =>
        {
            if (e.InstanceId == instanceId && e.Kind == WorkflowEventKind.InstanceStatusChanged) signal.Release();
        });
        while (true)
        {
            var info = await queries.GetAsync(instanceId, cancellationToken) ?? throw new WorkflowInstanceNotFoundException(instanceId);
            if (info.Status.IsEnded() || (untilIdle && info.Status is WorkflowStatus.Suspended or WorkflowStatus.Waiting)) return info;
            // Status events wake us at once; the timeout covers instances run by other nodes.
            await signal.WaitAsync(services.Options.PollInterval, cancellationToken);
        }
    }
}
