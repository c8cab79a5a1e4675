using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Catalog;

/// <summary>Reads and changes backup records; the one place that moves a backup between states.</summary>
/// <remarks>
/// Invariant: a record reaches <see cref="BackupState.BackedUp"/> only after every volume image
/// has its final name, checksum and size recorded, so no BackedUp backup lacks its files.
/// </remarks>
public sealed class BackupCatalog(BackupDbContext db, TimeProvider time, Metrics.BackupMetrics metrics)
{
    /// <summary>The backup with its volumes, or a clear error.</summary>
    /// <exception cref="BackupNotFoundException">No such backup.</exception>
    public async Task<BackupRecord> GetAsync(Guid id, CancellationToken ct = default) =>
        await db.Backups.Include(b => b.Volumes).FirstOrDefaultAsync(b => b.Id == id, ct)
        ?? throw new BackupNotFoundException(id);

    /// <summary>Backups with their volumes, newest first, optionally of one VM only; read-only.</summary>
    public async Task<IReadOnlyList<BackupRecord>> ListAsync(string? vm, CancellationToken ct = default)
    {
        var rows = await db.Backups.AsNoTracking().Include(b => b.Volumes).Where(b => vm == null || b.VmName == vm).ToListAsync(ct);
        // SQLite cannot ORDER BY a DateTimeOffset, so order here.
        return [.. rows.OrderByDescending(b => b.CreatedAt)];
    }

    /// <summary>One backup with its volumes, read-only, as the API shows it.</summary>
    /// <exception cref="DomainNotFoundException">No such backup.</exception>
    public async Task<BackupRecord> ShowAsync(Guid id, CancellationToken ct = default) =>
        await db.Backups.AsNoTracking().Include(b => b.Volumes).FirstOrDefaultAsync(b => b.Id == id, ct)
        ?? throw new DomainNotFoundException($"No backup with id {id}.");

    /// <summary>The backup, when it may be deleted (the <c>delete-backup</c> workflow's precondition): it is neither
    /// being created nor deleted already.</summary>
    /// <exception cref="DomainNotFoundException">No such backup.</exception>
    /// <exception cref="DomainConflictException">Being created, or already deleted.</exception>
    public async Task<BackupRecord> DeletableAsync(Guid id, CancellationToken ct = default)
    {
        var backup = await ShowAsync(id, ct);
        if (backup.State is BackupState.Expunged) throw new DomainConflictException($"Backup {id} is already deleted.");
        if (backup.State is BackupState.Creating) throw new DomainConflictException($"Backup {id} is still being created.");
        return backup;
    }

    /// <summary>All backups of one VM on one host, oldest first, with volumes.</summary>
    public async Task<List<BackupRecord>> ListForVmAsync(string host, string vm, CancellationToken ct = default)
    {
        var list = await db.Backups.Include(b => b.Volumes)
            .Where(b => b.HostName == host && b.VmName == vm).ToListAsync(ct);
        return [.. list.OrderBy(b => b.CreatedAt)];
    }

    /// <summary>The newest BackedUp backup that belongs to a chain, or null.</summary>
    public async Task<BackupRecord?> LatestInChainAsync(string host, string vm, CancellationToken ct = default) =>
        (await ListForVmAsync(host, vm, ct))
            .Where(b => b.ChainId is not null && b.State == BackupState.BackedUp)
            .MaxBy(b => b.CreatedAt);

    /// <summary>Registers a new backup in state Creating (idempotent on its id for resumed workflows).</summary>
    public async Task<BackupRecord> CreateAsync(BackupRecord backup, CancellationToken ct = default)
    {
        var existing = await db.Backups.Include(b => b.Volumes).FirstOrDefaultAsync(b => b.Id == backup.Id, ct);
        if (existing is not null) return existing;
        backup.State = BackupState.Creating;
        backup.CreatedAt = time.GetUtcNow();
        db.Backups.Add(backup);
        await db.SaveChangesAsync(ct);
        return backup;
    }

    /// <summary>Marks a backup complete; every volume must have its image, size and checksum.</summary>
    /// <exception cref="InvalidOperationException">A volume is not stored yet.</exception>
    public async Task MarkBackedUpAsync(Guid id, CancellationToken ct = default)
    {
        var backup = await GetAsync(id, ct);
        var missing = backup.Volumes.Where(v => v.Checksum is null || v.StoredSize <= 0).Select(v => v.Target).ToList();
        if (backup.Volumes.Count == 0 || missing.Count > 0)
            throw new InvalidOperationException(
                $"backup {id} cannot be marked BackedUp: volumes not stored: {string.Join(", ", missing)}");
        // A retried completion finds it BackedUp already: it is counted once.
        var ends = backup.State != BackupState.BackedUp;
        backup.State = BackupState.BackedUp;
        backup.CompletedAt = time.GetUtcNow();
        backup.VirtualSize = backup.Volumes.Sum(v => v.VirtualSize);
        backup.StoredSize = backup.Volumes.Sum(v => v.StoredSize);
        backup.Error = null;
        await db.SaveChangesAsync(ct);
        if (ends) metrics.BackupEnded(backup);
    }

    /// <summary>Marks a backup failed with the reason; its files are expected to be cleaned up already.</summary>
    public async Task MarkErrorAsync(Guid id, string error, CancellationToken ct = default)
    {
        var backup = await db.Backups.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (backup is null || backup.State == BackupState.BackedUp) return;
        var ends = backup.State != BackupState.Error;
        backup.State = BackupState.Error;
        backup.Error = error;
        backup.CompletedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        if (ends) metrics.BackupEnded(backup);
    }

    /// <summary>Saves changes made to tracked records.</summary>
    public Task SaveAsync(CancellationToken ct = default) => db.SaveChangesAsync(ct);
}

/// <summary>A backup id that does not exist.</summary>
public sealed class BackupNotFoundException(Guid id) : Exception($"backup {id} does not exist")
{
    /// <summary>The id asked for.</summary>
    public Guid BackupId { get; } = id;
}
