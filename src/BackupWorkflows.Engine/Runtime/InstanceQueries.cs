using System.Text.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Engine.Persistence.Records;
using BackupWorkflows.Engine.Runtime.Execution;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Engine.Runtime;

/// <summary>Reads instances, journal, incidents and progress (no tracking, short contexts).</summary>
internal sealed class InstanceQueries(EngineDatabase database, InstanceExecutor executor) : IWorkflowInstanceQueries
{
    public async Task<WorkflowInstanceInfo?> GetAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        // The instance and its origin (if any) in one query.
        var found = await (from i in db.Instances.Where(i => i.Id == instanceId)
                           from o in db.Origins.Where(o => o.InstanceId == i.Id).DefaultIfEmpty()
                           select new { Record = i, Origin = o }).FirstOrDefaultAsync(cancellationToken);
        if (found is null) return null;
        var (record, origin) = (found.Record, found.Origin);
        return origin is null ? ToInfo(record) : ToInfo(record) with
        {
            ParentInstanceId = origin.ParentInstanceId,
            Trigger = origin.TriggerActivityId is null ? null
                : new Triggers.TriggerStart(origin.TriggerActivityId, origin.TriggerType ?? "", Parse(origin.TriggerPayload) as JsonObject),
        };
    }

    public async Task<InstancePage> ListAsync(InstanceFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter ??= new InstanceFilter();
        await using var db = await database.CreateAsync(cancellationToken);
        var query = db.Instances.AsQueryable();
        if (filter.Status is { } status) query = query.Where(i => i.Status == (int)status);
        if (filter.DefinitionId is { } definitionId) query = query.Where(i => i.DefinitionId == definitionId);
        if (filter.CorrelationId is { } correlationId) query = query.Where(i => i.CorrelationId == correlationId);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id)
            .Skip(Math.Max(0, filter.Skip)).Take(Math.Clamp(filter.Take, 1, 500)).ToListAsync(cancellationToken);
        return new InstancePage(rows.Select(ToInfo).ToList(), total);
    }

    public async Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var rows = await db.Journal.Where(j => j.InstanceId == instanceId).OrderBy(j => j.Id).ToListAsync(cancellationToken);
        return rows.Select(j => new JournalEntry
        {
            Id = j.Id, InstanceId = j.InstanceId, ActivityId = j.ActivityId, ActivityType = j.ActivityType, Attempt = j.Attempt,
            IsResume = j.IsResume, Status = (ExecutionStatus)j.Status, StartedAt = EngineDatabase.Time(j.StartedAt),
            EndedAt = j.EndedAt is { } e ? EngineDatabase.Time(e) : null,
            Inputs = Parse(j.Inputs) as JsonObject, Outputs = Parse(j.Outputs) as JsonObject, Outcome = j.Outcome, Error = j.Error,
            Lines = j.Lines is null ? [] : JsonSerializer.Deserialize<List<string>>(j.Lines) ?? [], Node = j.Node,
        }).ToList();
    }

    public async Task<IReadOnlyList<Incident>> GetIncidentsAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var rows = await db.Incidents.Where(i => i.InstanceId == instanceId).OrderBy(i => i.Id).ToListAsync(cancellationToken);
        return rows.Select(i => new Incident
        {
            Id = i.Id, InstanceId = i.InstanceId, ActivityId = i.ActivityId, ActivityType = i.ActivityType, Attempts = i.Attempts,
            ExceptionType = i.ExceptionType, Message = i.Message, Handled = i.Handled, CreatedAt = EngineDatabase.Time(i.CreatedAt),
        }).ToList();
    }

    public async Task<IReadOnlyList<ActivityProgress>> GetProgressAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var rows = await db.Progress.Where(p => p.InstanceId == instanceId).ToListAsync(cancellationToken);
        var result = rows.ToDictionary(r => r.ActivityId, r => new ActivityProgress(r.InstanceId, r.ActivityId, r.Done, r.Total, r.Message, EngineDatabase.Time(r.UpdatedAt)));
        foreach (var live in executor.GetProgress(instanceId) ?? []) result[live.ActivityId] = live; // fresher than the last write
        return result.Values.OrderBy(p => p.ActivityId, StringComparer.Ordinal).ToList();
    }

    internal static WorkflowInstanceInfo ToInfo(InstanceRecord r)
    {
        var state = InstanceState.Deserialize(r.State);
        return new WorkflowInstanceInfo
        {
            Id = r.Id, DefinitionId = r.DefinitionId, DefinitionVersion = r.DefinitionVersion, Status = (WorkflowStatus)r.Status,
            CorrelationId = r.CorrelationId, Input = Parse(r.Input) as JsonObject, Variables = state.Variables, Outputs = state.Outputs,
            Output = Parse(r.Output), Fault = r.Fault, FaultedActivityId = r.FaultedActivityId, WaitingFor = r.WaitingFor,
            ResumeAt = r.ResumeAt is { } at ? EngineDatabase.Time(at) : null, OwnerNode = r.OwnerNode,
            ActivityResumeAt = state.Items.Where(i => i is { State: WorkItemState.Suspended, ResumeAt: not null })
                .GroupBy(i => i.ActivityId).ToDictionary(g => g.Key, g => EngineDatabase.Time(g.Min(i => i.ResumeAt!.Value))),
            CreatedAt = EngineDatabase.Time(r.CreatedAt), UpdatedAt = EngineDatabase.Time(r.UpdatedAt),
            EndedAt = r.EndedAt is { } e ? EngineDatabase.Time(e) : null,
        };
    }

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
