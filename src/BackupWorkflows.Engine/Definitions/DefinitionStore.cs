using System.Security.Cryptography;
using System.Text;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Engine.Persistence.Records;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Triggers;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Engine.Definitions;

/// <summary>
/// EF Core implementation of <see cref="IWorkflowDefinitionStore"/>. A version that was ever
/// published (<c>PublishedAt</c> set) is immutable, so instances pinned to it never see it change.
/// </summary>
internal sealed class DefinitionStore(EngineDatabase database, IActivityRegistry registry, TimeProvider time, TriggerIndex triggers) : IWorkflowDefinitionStore
{
    private readonly DefinitionValidator _validator = new(registry);

    public IReadOnlyList<ValidationProblem> Validate(WorkflowDefinition definition)
    {
        _validator.Normalize(definition);
        return _validator.Validate(definition);
    }

    public async Task<WorkflowDefinition> SaveDraftAsync(WorkflowDefinition definition, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalid(definition);
        await using var db = await database.CreateAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var latest = await Latest(db, definition.Id, cancellationToken);
        var record = await WriteDraft(db, definition, latest, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return ToDefinition(record);
    }

    public async Task<WorkflowDefinition> PublishAsync(string id, int? version = null, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await Find(db, id, version, cancellationToken) ?? throw new WorkflowDefinitionNotFoundException(id, version);
        await Publish(db, record, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        triggers.NotifyChanged();
        return ToDefinition(record);
    }

    public async Task<bool> UnpublishAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        if (!await db.Definitions.AnyAsync(d => d.Id == id, cancellationToken)) throw new WorkflowDefinitionNotFoundException(id);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.Definitions.Where(d => d.Id == id && d.IsPublished)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.IsPublished, false), cancellationToken) > 0;
        await triggers.DropAsync(db, id, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        triggers.NotifyChanged();
        return changed;
    }

    public async Task<WorkflowDefinition?> GetAsync(string id, int? version = null, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var record = await Find(db, id, version, cancellationToken);
        return record is null ? null : ToDefinition(record);
    }

    public async Task<WorkflowDefinition?> GetPublishedAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var record = await db.Definitions.FirstOrDefaultAsync(d => d.Id == id && d.IsPublished, cancellationToken);
        return record is null ? null : ToDefinition(record);
    }

    public async Task<IReadOnlyList<WorkflowDefinitionSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var rows = await db.Definitions
            .Select(d => new { d.Id, d.Version, d.Name, d.Description, d.IsPublished, d.CreatedAt, d.PublishedAt })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var latest = g.MaxBy(r => r.Version)!;
            return new WorkflowDefinitionSummary(g.Key, latest.Name, latest.Description, latest.Version,
                g.FirstOrDefault(r => r.IsPublished)?.Version,
                EngineDatabase.Time(g.Max(r => Math.Max(r.CreatedAt, r.PublishedAt ?? 0))));
        }).ToList();
    }

    public async Task<IReadOnlyList<WorkflowDefinitionVersionInfo>> ListVersionsAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var rows = await db.Definitions.Where(d => d.Id == id).OrderBy(d => d.Version).ToListAsync(cancellationToken);
        return rows.Select(r => new WorkflowDefinitionVersionInfo(r.Id, r.Version, r.IsPublished, r.ContentHash,
            EngineDatabase.Time(r.CreatedAt), r.PublishedAt is { } p ? EngineDatabase.Time(p) : null)).ToList();
    }

    public async Task<WorkflowDefinition> RevertAsync(string id, int version, CancellationToken cancellationToken = default)
    {
        var old = await GetAsync(id, version, cancellationToken) ?? throw new WorkflowDefinitionNotFoundException(id, version);
        return await SaveDraftAsync(old, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var active = new[] { (int)WorkflowStatus.Running, (int)WorkflowStatus.Waiting, (int)WorkflowStatus.Suspended };
        if (await db.Instances.AnyAsync(i => i.DefinitionId == id && active.Contains(i.Status), cancellationToken))
            throw new WorkflowInstanceStateException($"Workflow definition '{id}' has unfinished instances; cancel them before deleting it.");
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.Definitions.Where(d => d.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.IsDeleted, true).SetProperty(d => d.IsPublished, false), cancellationToken) > 0;
        await triggers.DropAsync(db, id, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        if (deleted) triggers.NotifyChanged();
        return deleted;
    }

    public async Task<WorkflowImportResult> ImportAsync(string json, bool publish, CancellationToken cancellationToken = default)
    {
        var definition = DefinitionJson.Parse(json);
        ThrowIfInvalid(definition);
        var hash = ContentHash(definition);
        await using var db = await database.CreateAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var latest = await Latest(db, definition.Id, cancellationToken);
        var created = latest?.ContentHash != hash;
        var record = created ? await WriteDraft(db, definition, latest, cancellationToken) : latest!;
        var published = publish && !record.IsPublished;
        if (published) await Publish(db, record, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        if (published) triggers.NotifyChanged();
        return new WorkflowImportResult(ToDefinition(record), created);
    }

    public async Task<string> ExportAsync(string id, int? version = null, CancellationToken cancellationToken = default)
    {
        var definition = await GetAsync(id, version, cancellationToken) ?? throw new WorkflowDefinitionNotFoundException(id, version);
        return DefinitionJson.Write(definition, indented: true);
    }

    private void ThrowIfInvalid(WorkflowDefinition definition)
    {
        var problems = Validate(definition);
        if (problems.Count > 0) throw new WorkflowValidationException(problems);
    }

    private async Task<DefinitionRecord> WriteDraft(EngineDbContext db, WorkflowDefinition definition, DefinitionRecord? latest, CancellationToken ct)
    {
        // Overwrite the latest version only while it was never published; otherwise add a version.
        var record = latest is { PublishedAt: null } ? latest : new DefinitionRecord
        {
            Id = definition.Id,
            Version = (await db.Definitions.IgnoreQueryFilters().Where(d => d.Id == definition.Id).MaxAsync(d => (int?)d.Version, ct) ?? 0) + 1,
        };
        definition.Version = record.Version;
        definition.IsPublished = false;
        record.Name = definition.Name;
        record.Description = definition.Description;
        record.Json = DefinitionJson.Write(definition);
        record.ContentHash = ContentHash(definition);
        record.CreatedAt = EngineDatabase.Ms(time.GetUtcNow());
        if (record == latest) db.Definitions.Update(record);
        else db.Definitions.Add(record);
        await db.SaveChangesAsync(ct);
        return record;
    }

    private async Task Publish(EngineDbContext db, DefinitionRecord record, CancellationToken ct)
    {
        await db.Definitions.Where(d => d.Id == record.Id && d.IsPublished && d.Version != record.Version)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.IsPublished, false), ct);
        record.IsPublished = true;
        record.PublishedAt ??= EngineDatabase.Ms(time.GetUtcNow());
        db.Definitions.Update(record);
        await db.SaveChangesAsync(ct);
        await triggers.ReplaceAsync(db, ToDefinition(record), ct);
    }

    private static Task<DefinitionRecord?> Latest(EngineDbContext db, string id, CancellationToken ct) =>
        db.Definitions.Where(d => d.Id == id).OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);

    private static Task<DefinitionRecord?> Find(EngineDbContext db, string id, int? version, CancellationToken ct) =>
        version is null ? Latest(db, id, ct) : db.Definitions.FirstOrDefaultAsync(d => d.Id == id && d.Version == version, ct);

    internal static WorkflowDefinition ToDefinition(DefinitionRecord record)
    {
        var definition = DefinitionJson.Parse(record.Json);
        definition.Version = record.Version;
        definition.IsPublished = record.IsPublished;
        return definition;
    }

    /// <summary>Hash of the content, ignoring version and published flag (import idempotency).</summary>
    private static string ContentHash(WorkflowDefinition definition)
    {
        var (version, published) = (definition.Version, definition.IsPublished);
        definition.Version = 0;
        definition.IsPublished = false;
        var json = DefinitionJson.Write(definition);
        (definition.Version, definition.IsPublished) = (version, published);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }
}
