using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;
using BackupWorkflows.Backup.Settings;

namespace BackupWorkflows.Backup.Validation;

/// <summary>
/// Queues a checksum re-check job for every BackedUp backup whose checksums were last verified
/// (or stored) longer ago than <c>validation.recheck.interval.hours</c>; 0 turns it off.
/// Called every <c>jobs.poll.interval.seconds</c> by <see cref="ChecksumRecheckLoop"/>; each re-check is a
/// <c>validate</c> workflow instance (levels <c>checksums</c>) that the engine queues behind the host's validation lock.
/// </summary>
public sealed class ChecksumRecheckScheduler(BackupDbContext db, BackupSettings settings, JobQueue queue, TimeProvider time)
{
    /// <summary>Queues the due re-checks; returns how many were queued.</summary>
    public async Task<int> QueueDueAsync(CancellationToken ct)
    {
        var interval = await settings.GetDurationAsync(SettingCatalog.ValidationRecheckIntervalHours, ct);
        if (interval <= TimeSpan.Zero) return 0;
        var cutoff = time.GetUtcNow() - interval;
        var backups = await db.Backups.AsNoTracking().Where(b => b.State == BackupState.BackedUp)
            .Select(b => new { b.Id, b.HostName, b.CompletedAt }).ToListAsync(ct);
        var last = (await db.Validations.AsNoTracking().Where(v => v.Level == ValidationLevels.Checksums)
                .Select(v => new { v.BackupId, v.At }).ToListAsync(ct))
            .GroupBy(v => v.BackupId).ToDictionary(g => g.Key, g => g.Max(v => v.At));
        var queued = 0;
        foreach (var b in backups)
        {
            var verified = last.TryGetValue(b.Id, out var at) ? at : b.CompletedAt ?? cutoff;
            if (verified > cutoff || await queue.OpenAsync(b.Id, JobType.Validation, ValidationLevels.Checksums, ct) is not null) continue;
            await queue.EnqueueAsync(b.Id, b.HostName, JobType.Validation, ValidationLevels.Checksums, ct);
            queued++;
        }
        return queued;
    }
}
