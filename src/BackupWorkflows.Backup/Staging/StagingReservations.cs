using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Staging;

/// <summary>Holds and releases staging space as database rows shared by every node.</summary>
public sealed class StagingReservations(BackupDbContext db, TimeProvider time)
{
    /// <summary>Bytes reserved on <paramref name="host"/> by backups other than <paramref name="exceptBackup"/>.</summary>
    public async Task<long> ReservedByOthersAsync(string host, Guid exceptBackup, CancellationToken ct) =>
        (await db.StagingReservations.Where(r => r.HostName == host && r.BackupId != exceptBackup)
            .Select(r => r.Bytes).ToListAsync(ct)).Sum();

    /// <summary>Records the reservation of <paramref name="bytes"/> for a backup (replacing an earlier one).</summary>
    public async Task HoldAsync(string host, Guid backupId, long bytes, CancellationToken ct)
    {
        var existing = await db.StagingReservations.FirstOrDefaultAsync(r => r.BackupId == backupId, ct);
        if (existing is null)
            db.StagingReservations.Add(new StagingReservation
            { Id = Guid.NewGuid(), HostName = host, BackupId = backupId, Bytes = bytes, CreatedAt = time.GetUtcNow() });
        else existing.Bytes = bytes;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Releases whatever a backup holds.</summary>
    public async Task ReleaseAsync(Guid backupId, CancellationToken ct)
    {
        await db.StagingReservations.Where(r => r.BackupId == backupId).ExecuteDeleteAsync(ct);
    }
}
