using BackupWorkflows.Backup.Catalog;

namespace BackupWorkflows.Backup.Snapshots;

/// <summary>Snapshot lookups as activities need them: bad ids and unknown snapshots are input errors, never retried.</summary>
public static class SnapshotIds
{
    /// <summary>The snapshot <paramref name="text"/> names.</summary>
    /// <exception cref="BackupInputException">Not an id, or no such snapshot.</exception>
    public static async Task<VmSnapshot> LoadAsync(SnapshotCatalog catalog, string text, CancellationToken ct)
    {
        if (!Guid.TryParse(text, out var id)) throw new BackupInputException($"'{text}' is not a snapshot id");
        try { return await catalog.GetAsync(id, ct); }
        catch (DomainNotFoundException e) { throw new BackupInputException(e.Message); }
    }
}
