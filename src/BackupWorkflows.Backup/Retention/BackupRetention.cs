using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Retention;

/// <summary>Keep-the-newest-N retention: which completed backups of a VM are beyond what a schedule keeps.</summary>
public sealed class BackupRetention(BackupDbContext db)
{
    /// <summary>The ids of the VM's <see cref="BackupState.BackedUp"/> backups older than the newest <paramref name="keep"/>,
    /// oldest first (the order their chain-safe deletes should run in).</summary>
    public async Task<IReadOnlyList<Guid>> BeyondKeepAsync(string host, string vm, int keep, CancellationToken ct = default)
    {
        var rows = await db.Backups.AsNoTracking()
            .Where(b => b.HostName == host && b.VmName == vm && b.State == BackupState.BackedUp)
            .Select(b => new { b.Id, b.CreatedAt }).ToListAsync(ct);
        // Ordered here: SQLite cannot ORDER BY a DateTimeOffset.
        return [.. rows.OrderByDescending(b => b.CreatedAt).Skip(keep).OrderBy(b => b.CreatedAt).Select(b => b.Id)];
    }
}
