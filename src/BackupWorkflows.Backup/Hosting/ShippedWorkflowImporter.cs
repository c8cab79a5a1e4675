using System.Security.Cryptography;
using System.Text;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Engine.Definitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Backup.Hosting;

/// <summary>What was last imported from a shipped workflow file, to tell our versions from the operator's.</summary>
public sealed class ShippedWorkflowRecord
{
    /// <summary>Workflow definition id.</summary>
    public required string Id { get; set; }

    /// <summary>The version the import produced (or found equal).</summary>
    public int Version { get; set; }

    /// <summary>SHA-256 of the shipped file's text.</summary>
    public required string FileSha256 { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset ImportedAt { get; set; }
}

/// <summary>
/// Imports the workflows shipped in <c>workflows/</c> at start without ever overriding the operator:
/// a new id is imported and published (an example in <see cref="Examples"/> only imported: the operator switches it on
/// by publishing it); a shipped file that changed in a new release is imported
/// and published only while the operator has made no version of that workflow since our last
/// import. Otherwise the operator's versions stay as they are (drafts included) and a warning
/// says how to adopt the shipped one.
/// </summary>
public sealed class ShippedWorkflowImporter(IWorkflowDefinitionStore store, BackupDbContext db, TimeProvider time,
    ILogger<ShippedWorkflowImporter> logger)
{
    /// <summary>Shipped examples that need the operator's settings (a webhook URL) first: imported, never published by us.</summary>
    public static readonly IReadOnlySet<string> Examples = new HashSet<string>(StringComparer.Ordinal) { "notify-on-failure" };

    /// <summary>What happened to one shipped workflow.</summary>
    public enum Outcome { Imported, Upgraded, Unchanged, KeptOperatorVersion }

    /// <summary>Applies the policy to each shipped (file name, JSON).</summary>
    public async Task<IReadOnlyDictionary<string, Outcome>> ImportAsync(IEnumerable<(string Name, string Json)> shipped, CancellationToken ct)
    {
        var outcomes = new Dictionary<string, Outcome>();
        foreach (var (name, json) in shipped)
        {
            var id = DefinitionJson.Parse(json).Id;
            var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
            var mark = await db.Set<ShippedWorkflowRecord>().FindAsync([id], ct);
            var latest = (await store.ListVersionsAsync(id, ct)).MaxBy(v => v.Version);
            var outcome = (latest, mark) switch
            {
                (null, _) => Outcome.Imported,
                (_, { } m) when m.FileSha256 == sha => Outcome.Unchanged,
                (_, { } m) when m.Version == latest.Version => Outcome.Upgraded,
                // No mark (a database from before marks, or the operator made this id): ours only if equal.
                (_, null) when await EqualsStoredAsync(id, latest.Version, json, ct) => Outcome.Unchanged,
                _ => Outcome.KeptOperatorVersion,
            };
            if (outcome is Outcome.Imported or Outcome.Upgraded)
            {
                var result = await store.ImportAsync(json, publish: !Examples.Contains(id), ct);
                await MarkAsync(mark, id, result.Definition.Version, sha, ct);
                logger.LogInformation("Shipped workflow {Name}: v{Version} {What}", name, result.Definition.Version,
                    outcome == Outcome.Imported ? "imported" : "imported over our earlier one");
            }
            else if (outcome == Outcome.Unchanged)
            {
                if (mark is null) await MarkAsync(null, id, latest!.Version, sha, ct);
            }
            else
            {
                logger.LogWarning("Shipped workflow {Name} differs from {Id} v{Version}, which was made here after it: " +
                    "yours is kept. To adopt the shipped one, import workflows/{Name} in the studio.", name, id, latest!.Version, name);
            }
            outcomes[id] = outcome;
        }
        return outcomes;
    }

    private async Task<bool> EqualsStoredAsync(string id, int version, string json, CancellationToken ct)
    {
        var stored = await store.GetAsync(id, version, ct);
        if (stored is null) return false;
        var shipped = DefinitionJson.Parse(json);
        (shipped.Version, shipped.IsPublished) = (stored.Version, stored.IsPublished);
        return DefinitionJson.Write(shipped) == DefinitionJson.Write(stored);
    }

    private async Task MarkAsync(ShippedWorkflowRecord? mark, string id, int version, string sha, CancellationToken ct)
    {
        var added = mark is null;
        if (mark is null) db.Add(mark = new ShippedWorkflowRecord { Id = id, FileSha256 = sha });
        (mark.Version, mark.FileSha256, mark.ImportedAt) = (version, sha, time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (added)
        {
            // Another node starting at the same moment marked it first, with the same import.
            db.Entry(mark).State = EntityState.Detached;
        }
    }
}
