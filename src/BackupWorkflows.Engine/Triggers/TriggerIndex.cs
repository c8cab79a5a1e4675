using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Engine.Persistence.Records;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Engine.Triggers;

/// <summary>The <c>wf_triggers</c> table: written by the definition store inside its publish transactions.</summary>
internal sealed class TriggerIndex(EngineDatabase database, IActivityRegistry registry) : IWorkflowTriggers
{
    public event Action? Changed;

    public async Task<IReadOnlyList<WorkflowTrigger>> ListAsync(string? type = null, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var query = db.Triggers.AsQueryable();
        if (type is not null) query = query.Where(t => t.Type == type);
        return (await query.OrderBy(t => t.DefinitionId).ThenBy(t => t.ActivityId).ToListAsync(cancellationToken)).Select(ToTrigger).ToList();
    }

    public async Task<WorkflowTrigger?> FindAsync(string type, string key, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var row = await db.Triggers.FirstOrDefaultAsync(t => t.Type == type && t.Key == key, cancellationToken);
        return row is null ? null : ToTrigger(row);
    }

    /// <summary>
    /// Replaces the definition's rows by the trigger activities of the version being published. A key
    /// another published workflow holds (an HTTP method and path) refuses the publish.
    /// </summary>
    public async Task ReplaceAsync(EngineDbContext db, WorkflowDefinition definition, CancellationToken ct)
    {
        var rows = new List<TriggerRecord>();
        foreach (var node in definition.Activities)
        {
            if (registry.Find(node.Type, node.Version) is not { IsTrigger: true } descriptor) continue;
            var settings = TriggerSettings.Of(descriptor, node);
            var key = TriggerSettings.Create(descriptor, settings).UniqueKey ?? $"{definition.Id}/{node.Id}";
            rows.Add(new TriggerRecord
            {
                Type = descriptor.Type, Key = key, DefinitionId = definition.Id, DefinitionVersion = definition.Version,
                ActivityId = node.Id, Settings = settings.ToJsonString(DefinitionJson.Options),
            });
        }
        var problems = new List<ValidationProblem>();
        foreach (var group in rows.GroupBy(r => (r.Type, r.Key)).Where(g => g.Count() > 1))
            problems.Add(new(group.Skip(1).First().ActivityId, null, $"{group.Key.Type} '{group.Key.Key}' is used by more than one activity"));
        // One query for the keys other workflows hold, not one per row.
        if (rows.Count > 0)
        {
            var keys = rows.Select(r => r.Key).Distinct().ToList();
            var held = await db.Triggers.Where(t => t.DefinitionId != definition.Id && keys.Contains(t.Key))
                .Select(t => new { t.Type, t.Key, t.DefinitionId }).ToListAsync(ct);
            foreach (var row in rows)
                if (held.FirstOrDefault(h => h.Type == row.Type && h.Key == row.Key) is { } holder)
                    problems.Add(new(row.ActivityId, null, $"{row.Type} '{row.Key}' is already used by the published workflow '{holder.DefinitionId}'"));
        }
        if (problems.Count > 0) throw new WorkflowValidationException(problems);
        await db.Triggers.Where(t => t.DefinitionId == definition.Id).ExecuteDeleteAsync(ct);
        db.Triggers.AddRange(rows);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Drops the definition's rows (unpublished or deleted).</summary>
    public Task DropAsync(EngineDbContext db, string definitionId, CancellationToken ct) =>
        db.Triggers.Where(t => t.DefinitionId == definitionId).ExecuteDeleteAsync(ct);

    /// <summary>Tells this node's subscribers that the index changed (after the commit).</summary>
    public void NotifyChanged() => Changed?.Invoke();

    private static WorkflowTrigger ToTrigger(TriggerRecord r) => new()
    {
        Type = r.Type, Key = r.Key, DefinitionId = r.DefinitionId, DefinitionVersion = r.DefinitionVersion, ActivityId = r.ActivityId,
        Settings = JsonNode.Parse(r.Settings) as JsonObject ?? [],
    };
}
